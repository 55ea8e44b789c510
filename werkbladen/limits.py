"""Work limits for reading untrusted PDFs: what one input may cost before it is refused.

A coordinator's inbox holds files from anywhere. Each limit turns a hostile or broken file into
one named result (``too_large``, ``timeout``) instead of a hang or an exhausted machine. The
size, field and depth limits apply wherever a PDF is read; the time and memory limits are
enforced by :mod:`werkbladen.reader.batch`: on a worker process, or for a single file on the calling
process itself while it reads (an alarm and a lowered ``RLIMIT_AS``, both undone after).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """What one input may cost. ``Limits().with_(max_size=200 * MB)`` raises one of them."""

    max_size: int = 50 * MB
    """Bytes of PDF accepted at all; a filled werkboek is well under 1 MB."""
    timeout: float = 20.0
    """Wall-clock seconds per file: the batch parent kills the worker; one file gets an alarm."""
    memory: int = 1024 * MB
    """Address space a worker process (or the reading process, for one file) may add to what it
    had when the read began (``RLIMIT_AS``)."""
    max_nodes: int = 20_000
    """Field dictionaries and widget annotations visited per file."""
    max_depth: int = 32
    """Nesting of the field tree (ISO 32000 sets none; real forms stay under 10)."""
    max_pages: int = 2_000
    max_object_items: int = 10_000
    """Entries of one dictionary or array (nesting counts against ``max_depth`` too)."""
    max_stream_output: int = 64 * MB
    """Decompressed bytes per stream: a zip bomb stops here."""
    max_members: int = 10_000
    """Members of one zip archive, or attachments of one e-mail, looked at."""
    max_unpacked: int = 2048 * MB
    """Bytes unpacked from one zip archive or mailbox in all: an archive bomb stops here."""
    max_ratio: int = 200
    """Uncompressed to compressed size of a zip member; PDFs deflate 2 to 20 times, bombs thousands."""
    max_nesting: int = 3
    """Containers inside containers (a zip in an e-mail in a zip)."""

    def with_(self, **changes: Any) -> Limits:
        return replace(self, **changes)

    def pypdf_overrides(self) -> dict[str, Any]:
        """Keyword arguments for ``pypdf.apply_configuration``: pypdf's own limits, tightened."""
        out = self.max_stream_output
        return {
            "maximum_declared_stream_length": out,
            "array_based_stream_maximum_output_length": out,
            "zlib_maximum_output_length": out,
            "lzw_maximum_output_length": out,
            "run_length_maximum_output_length": out,
            "brotli_maximum_output_length": out,
            "jbig2_maximum_output_length": out,
            "image_maximum_buffer_size": out,
            "stream_decoding_work_maximum_length": 4 * out,
            "zlib_maximum_recovery_input_length": min(5 * MB, out),
            "array_maximum_element_count": 50_000,
            "dictionary_maximum_element_count": self.max_object_items,
            "form_fields_maximum_entries": self.max_nodes,
            "form_fields_maximum_depth": self.max_depth,
            "page_tree_maximum_entries": self.max_pages,
            "page_tree_maximum_depth": self.max_depth,
            "page_tree_maximum_page_entries": 4 * self.max_pages,
            "outline_maximum_entries": 10_000,
            "outline_maximum_depth": self.max_depth,
            "xfa_decoding_work_maximum_length": out,
            "xmp_maximum_input_length": min(5 * MB, out),
            "jbig2dec_binary": None,
            "disable_legacy_handling": True,
        }


DEFAULT_LIMITS = Limits()

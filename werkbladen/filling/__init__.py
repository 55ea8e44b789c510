"""The filling side: answers into a blank werkblad, with appearance streams every viewer shows.

:mod:`.plan` checks answers against the blank's fields, :mod:`.prefill` writes them,
:mod:`.appearance` draws each text field's appearance, :mod:`.fonts` embeds the Unicode font.
``werkbladen.fill`` is :func:`.prefill.fill`.
"""

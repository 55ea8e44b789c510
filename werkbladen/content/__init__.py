"""The content: the worksheets as data (YAML), their schema, and the names of their fields.

:mod:`.model` is the schema (Pydantic), :mod:`.loader` reads and validates a content folder
(the shipped one is this folder's YAML), :mod:`.naming` makes every PDF field name and the
template identity. Layout, reader and filler all start from here.
"""

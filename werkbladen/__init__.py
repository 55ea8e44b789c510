"""Fillable PDF werkbladen for the NJi stappenplan, and their answers back as data."""

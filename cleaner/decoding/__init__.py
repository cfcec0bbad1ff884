"""Bytes to text: compressed containers unpacked, byte-order marks, declared and detected charsets,
binary files refused with the reason."""

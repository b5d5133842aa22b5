"""Generators of test inputs (documents, archives, page images, phone photos).

Everything is made at test time from text written for these tests.
"""

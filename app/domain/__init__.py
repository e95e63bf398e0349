"""Tandem's domain model: pure Python, no framework, no I/O.

Aggregates (Organization, Person, Program, Enrollment, Tandem, Session, Goal) enforce the
rules of DESIGN.md §2 in their methods and record domain events for the outbox.
"""

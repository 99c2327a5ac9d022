"""The store, the single source of truth: tables, sessions and migrations (models, database),
what items are visible (states), writing parsed documents (writing) and read queries (queries).
"""

"""Plain text helpers every layer may use: normalising, hashing, similarity, addresses.

The bottom of the tree: it imports nothing else from the hub.
"""

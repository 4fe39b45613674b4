"""Facts: what a case says, and nothing about what the law makes of it."""

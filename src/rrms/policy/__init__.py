"""The forced-return screening engine: clauses as dated data, three-valued facts, explanations."""

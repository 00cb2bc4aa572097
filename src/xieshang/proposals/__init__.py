"""提案: proposals from draft to archive — the canonical domain app every other app copies."""

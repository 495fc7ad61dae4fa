"""Credit bank use cases (学分银行): accounts, outcomes, imports, the ledger, transcripts."""

"""The credit bank (学分银行): accounts, outcomes, recording rules, framework levels, ledger."""

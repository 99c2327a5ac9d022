"""The weekly digest: what is new per subscriber (build), the email (render), the ledger and the run."""

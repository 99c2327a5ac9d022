"""The weekly digest and its subscribers: sign-up and tokens (subscribers, tokens), mail
settings and sending (mail), what is new per subscriber (build), the email (render), the
ledger and the run.
"""

"""Certificates as stored facts: issued periods, each person's materialised state, the audit log.

The rules and the judging are pure (`academy.certification`); this package
stores what they decide and keeps it current:

- `models`: `Certificate` (one validity period of one certificate, with its
  verification code and the evidence that earned it), `CertificateState`
  (one row per person × certificate, upserted after every evaluation, which
  the HR desk reads) and `AuditLog` (who revoked or reinstated what, and why).
- `rules`: the published rules and the content index, cached per content version.
- `services`: evaluate one person, issue what is due in the same transaction as
  the evidence, revoke and reinstate, refresh everyone in batches.
- `badges`: Open Badges 2.0 documents; `printing`: the PDF certificate.

See ``docs/certificates.md`` (for HR) and ``docs/certification.md`` (the rules).
"""

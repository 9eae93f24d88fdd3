-- No secret at rest in readable form (issue 14). From this release on, responses kept for
-- Idempotency-Key replay are sealed with the master key, request fingerprints are HMACs, and the
-- dev mailbox stores its mails sealed. SQL cannot seal, so what was written readable goes:

-- Idempotency records hold responses in the clear (raw API keys, PATs, codes) and an unkeyed hash
-- of the request body (which may hold a password). They are at most 24 hours old. Wipe both but
-- keep the record until it expires, so a retry with its key is refused (IDEM-Rp9Lx) rather than
-- run a second time.
update idempotency_keys set response = null, fingerprint = '';

-- The dev mailbox (development only) holds rendered mails: codes and links in the clear. A
-- developer who still needs a message asks for a new code.
delete from mailbox;

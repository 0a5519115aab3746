-- Second factor and login throttling, kept in the database so that every server process of an
-- installation agrees on them. Instants are INTEGER milliseconds since the Unix epoch (UTC).

-- One TOTP secret per enrolled account. The secret is base32 (RFC 4648) as authenticator apps
-- show it; it becomes usable once the user confirms it with a code (confirmed_at). last_step is
-- the 30-second step of the last accepted code: a code of that step or an earlier one is
-- rejected, so a code works once.
CREATE TABLE user_totp (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    confirmed_at INTEGER,
    last_step    INTEGER
);

-- A login whose password was right and which waits for the second factor (a code, or the
-- enrolment of a new secret). The browser holds the random id; only its SHA-256 is stored.
CREATE TABLE login_challenges (
    id_hash    TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX login_challenges_user ON login_challenges (user_id);

-- Failed logins per throttling key: a client address, or an account as tried from one client
-- address. locked_until is 0 while the key is not locked.
CREATE TABLE login_failures (
    throttle_key    TEXT    PRIMARY KEY,
    failures        INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL,
    locked_until    INTEGER NOT NULL
);

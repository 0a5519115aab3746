-- The secure zone, as in the SQLite migration.
CREATE TABLE secure_values (
    owner      TEXT   NOT NULL,
    owner_id   BIGINT NOT NULL,
    field      TEXT   NOT NULL,
    key_id     TEXT   NOT NULL,
    nonce      TEXT   NOT NULL,
    ciphertext TEXT   NOT NULL,
    PRIMARY KEY (owner, owner_id, field)
);

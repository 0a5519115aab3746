-- The secure zone: each sealed field of a Mật or Tối mật record, encrypted with AES-256-GCM by
-- the application. owner and owner_id name the row the value belongs to (documents,
-- document_events or task_events), field the column it replaces there; the associated data
-- of the ciphertext binds it to these three, so a value moved to another row fails to open.
-- key_id names the key without revealing it; nonce and ciphertext are base64.
CREATE TABLE secure_values (
    owner      TEXT    NOT NULL,
    owner_id   INTEGER NOT NULL,
    field      TEXT    NOT NULL,
    key_id     TEXT    NOT NULL,
    nonce      TEXT    NOT NULL,
    ciphertext TEXT    NOT NULL,
    PRIMARY KEY (owner, owner_id, field)
);

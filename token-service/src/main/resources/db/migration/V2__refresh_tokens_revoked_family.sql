-- A refresh token family is dead as soon as one of its rows is revoked: every use asks whether its family has a
-- revoked row, in the statement that locks the presented token. This index holds revoked rows only, so for a live
-- family the answer is one probe of an empty range, however many times the family was rotated.
CREATE INDEX refresh_tokens_revoked_family ON refresh_tokens (family_id) WHERE revoked_at IS NOT NULL;

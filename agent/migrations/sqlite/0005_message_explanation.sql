-- What the last statement of an answer computes, in words (built without the model).
ALTER TABLE messages ADD COLUMN explanation TEXT;

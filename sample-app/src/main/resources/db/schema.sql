-- The shop's source of truth. Stock is changed only under the product's distributed lock, and
-- every change carries that lock's fencing token: an update applies only if the row still holds
-- the token its writer read (a version column), so a holder that lost its lease cannot overwrite
-- a newer holder's change. The CHECK constraints are the last line of defence.

CREATE TABLE product (
  sku            VARCHAR(32)  PRIMARY KEY,
  name           VARCHAR(200) NOT NULL,
  category       VARCHAR(64)  NOT NULL,
  price_cents    BIGINT       NOT NULL CHECK (price_cents >= 0),
  initial_stock  INT          NOT NULL CHECK (initial_stock >= 0),
  stock          INT          NOT NULL CHECK (stock >= 0),
  fencing_token  BIGINT       NOT NULL DEFAULT 0,
  discontinued   BOOLEAN      NOT NULL DEFAULT FALSE
);

CREATE INDEX product_by_category ON product (category);

CREATE TABLE customer_order (
  id             VARCHAR(36)  PRIMARY KEY,
  user_id        VARCHAR(64)  NOT NULL,
  sku            VARCHAR(32)  NOT NULL REFERENCES product (sku),
  quantity       INT          NOT NULL CHECK (quantity > 0),
  fencing_token  BIGINT       NOT NULL,
  placed_at      TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX order_by_sku ON customer_order (sku);

CREATE TABLE restock (
  id             BIGINT       AUTO_INCREMENT PRIMARY KEY,
  sku            VARCHAR(32)  NOT NULL REFERENCES product (sku),
  quantity       INT          NOT NULL CHECK (quantity > 0),
  fencing_token  BIGINT       NOT NULL,
  restocked_at   TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX restock_by_sku ON restock (sku);

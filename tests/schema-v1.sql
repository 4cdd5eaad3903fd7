-- A database as the first released Waybill (schema version 1) wrote it,
-- with a few orders.  test-store opens it to check the upgrade.
PRAGMA application_id = 1465467468;
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  order_number TEXT NOT NULL UNIQUE CHECK (length(order_number) > 0),
  customer TEXT NOT NULL DEFAULT '',
  email TEXT, phone TEXT, address TEXT, items TEXT, total REAL, currency TEXT, note TEXT,
  stage TEXT NOT NULL DEFAULT 'received'
    CHECK (stage IN ('received', 'processing', 'shipped', 'cancelled')),
  archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL
);
CREATE TABLE shipments (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  carrier TEXT,
  tracking_number TEXT NOT NULL CHECK (length(tracking_number) > 0),
  status TEXT NOT NULL DEFAULT 'pending',
  sub_status TEXT, exception_reason TEXT,
  estimated_from INTEGER, estimated_to INTEGER, delivered_at INTEGER, signed_by TEXT,
  last_event_at INTEGER, last_checked INTEGER, next_check INTEGER,
  failure_count INTEGER NOT NULL DEFAULT 0, last_error TEXT,
  UNIQUE (order_id, tracking_number)
);
CREATE INDEX shipments_order ON shipments (order_id);
CREATE INDEX shipments_tracking ON shipments (tracking_number);
CREATE TABLE tracking_events (
  id INTEGER PRIMARY KEY,
  shipment_id INTEGER NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
  time INTEGER NOT NULL, utc_offset INTEGER, status TEXT NOT NULL,
  code TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '', location TEXT,
  UNIQUE (shipment_id, time, code, description)
);
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  shipment_id INTEGER NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
  status TEXT NOT NULL, announced_at INTEGER NOT NULL,
  UNIQUE (shipment_id, status)
);
INSERT INTO orders (id, order_number, customer, email, stage, created, updated)
  VALUES (1, 'A-100', 'Hedda Gabler', 'hedda@example.org', 'shipped', 1764000000, 1764000000),
         (2, 'A-101', 'Peer Gynt', 'peer@example.org', 'processing', 1764100000, 1764100000);
INSERT INTO shipments (id, order_id, carrier, tracking_number, status, estimated_to)
  VALUES (1, 1, 'ups', '1Z999AA10123456784', 'in_transit', 1764500000);
INSERT INTO tracking_events (shipment_id, time, utc_offset, status, code, description, location)
  VALUES (1, 1764200000, -21600, 'in_transit', 'AR', 'Arrived at Facility', 'Memphis, TN, US');
PRAGMA user_version = 1;

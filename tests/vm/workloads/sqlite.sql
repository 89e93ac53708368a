-- sqlite.sql - a real sqlite3 heap for the kernel recorder: an in-memory
-- database, bulk insert of generated orders, an index, joins and
-- aggregates, then an update and a vacuum.
PRAGMA cache_size = -200000;
CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT, city TEXT);
CREATE TABLE orders(id INTEGER PRIMARY KEY, cust INTEGER, item TEXT,
		    qty INTEGER, price REAL, note TEXT);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 20000)
INSERT INTO customer SELECT i, 'customer ' || i, 'city ' || (i % 97) FROM c;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 100000)
INSERT INTO orders SELECT i, abs(random()) % 20000 + 1,
	'item-' || (abs(random()) % 5000), abs(random()) % 10 + 1,
	(abs(random()) % 100000) / 100.0,
	'order ' || i || ' ' || hex(randomblob(12)) FROM c;
CREATE INDEX orders_cust ON orders(cust);
CREATE INDEX orders_item ON orders(item, qty);
SELECT count(*), sum(qty * price) FROM orders;
SELECT c.city, count(*), round(sum(o.qty * o.price), 2) FROM orders o
	JOIN customer c ON c.id = o.cust GROUP BY c.city ORDER BY 3 DESC LIMIT 5;
SELECT item, sum(qty) FROM orders GROUP BY item ORDER BY 2 DESC LIMIT 5;
UPDATE orders SET note = upper(note) WHERE id % 3 = 0;
DELETE FROM orders WHERE qty < 3;
SELECT count(*) FROM orders;
VACUUM;

-- The seed scenario's table (AWS blog "Stream change data to Amazon Kinesis Data Streams with AWS DMS"),
-- with a primary key so each invoice's changes share a Kinesis partition key, and ISO dates.
CREATE DATABASE IF NOT EXISTS democustomer;
USE democustomer;
DROP TABLE IF EXISTS invoices;
CREATE TABLE invoices (
  invoice_id INT PRIMARY KEY,
  customer_id INT,
  billing_date DATE,
  due_date DATE,
  balance INT,
  monthly_kwh_use INT,
  total_amount_due VARCHAR(50)
);
INSERT INTO invoices VALUES
  (1, 1219578, '2022-04-15', '2022-04-30', 25, 6, '28'),
  (2, 1365142, '2022-04-15', '2022-04-28', NULL, 41, '20.5'),
  (3, 1368834, '2022-04-15', '2022-05-05', NULL, 31, '15.5'),
  (4, 1226431, '2022-04-15', '2022-04-28', NULL, 47, '23.5'),
  (5, 1499194, '2022-04-15', '2022-05-01', NULL, 39, '19.5'),
  (6, 1221240, '2022-04-15', '2022-05-02', NULL, 38, '19'),
  (7, 1235442, '2022-04-15', '2022-04-27', NULL, 50, '25'),
  (8, 1306894, '2022-04-15', '2022-05-02', NULL, 16, '8'),
  (9, 1343570, '2022-04-15', '2022-05-03', NULL, 39, '19.5'),
  (10, 1465198, '2022-04-15', '2022-05-04', NULL, 47, '23.5');

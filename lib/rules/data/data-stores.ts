/**
 * Data stores, reviewed data. Sources: AWS service authorization reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
 * and Cloudsplaining's data-exfiltration / resource-exposure risk classes
 * (https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/data-exfiltration.md).
 */

/** IAM service prefixes that hold customer data: Write/delete on them with `*` is data tampering. */
export const DATA_STORE_SERVICES: Record<string, string> = {
  s3: "Amazon S3",
  s3express: "S3 Express One Zone",
  dynamodb: "Amazon DynamoDB",
  dax: "DynamoDB Accelerator",
  rds: "Amazon RDS",
  "rds-data": "RDS Data API",
  sqs: "Amazon SQS",
  sns: "Amazon SNS",
  kinesis: "Kinesis Data Streams",
  firehose: "Kinesis Data Firehose",
  elasticfilesystem: "Amazon EFS",
  elasticache: "Amazon ElastiCache",
  memorydb: "Amazon MemoryDB",
  es: "Amazon OpenSearch Service",
  aoss: "OpenSearch Serverless",
  redshift: "Amazon Redshift",
  "redshift-data": "Redshift Data API",
  glacier: "S3 Glacier",
  cassandra: "Amazon Keyspaces",
  "neptune-db": "Amazon Neptune",
  timestream: "Amazon Timestream",
  fsx: "Amazon FSx",
  ebs: "EBS direct APIs",
  backup: "AWS Backup",
};

/**
 * Actions that read stored data (not metadata): on `*` they let a compromised function read
 * every store of that kind in the account. Metadata reads such as `s3:GetBucketLocation` are
 * deliberately absent — they appear in least-privilege policies and leak nothing sensitive.
 */
export const DATA_READ_ACTIONS: Record<string, string> = {
  "s3:getobject": "read objects",
  "s3:getobjectversion": "read object versions",
  "s3express:createsession": "open S3 Express sessions (read/write objects)",
  "dynamodb:getitem": "read items",
  "dynamodb:batchgetitem": "read items",
  "dynamodb:query": "query tables",
  "dynamodb:scan": "scan whole tables",
  "dynamodb:partiqlselect": "query tables",
  "dynamodb:exporttabletopointintime": "export whole tables",
  "dynamodb:getrecords": "read table streams",
  "dax:getitem": "read items",
  "dax:batchgetitem": "read items",
  "dax:query": "query tables",
  "dax:scan": "scan tables",
  "rds-data:executestatement": "run SQL",
  "rds-data:batchexecutestatement": "run SQL",
  "rds:downloaddblogfileportion": "read database logs",
  "sqs:receivemessage": "read queue messages",
  "kinesis:getrecords": "read stream records",
  "kinesis:subscribetoshard": "read stream records",
  "elasticfilesystem:clientmount": "mount file systems",
  "es:eshttpget": "read search indexes",
  "aoss:apiaccessall": "access collections",
  "redshift-data:executestatement": "run SQL",
  "redshift-data:getstatementresult": "read query results",
  "glacier:getjoboutput": "read archives",
  "cassandra:select": "read tables",
  "neptune-db:readdataviaquery": "read graphs",
  "timestream:select": "read tables",
  "ebs:getsnapshotblock": "read snapshot blocks",
  "logs:getlogevents": "read log events",
  "logs:filterlogevents": "read log events",
  "logs:startquery": "query logs",
  "kms:decrypt": "decrypt with any KMS key",
};

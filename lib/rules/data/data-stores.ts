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
 * The data actions themselves are the one reviewed table in lib/analysis/data/data-stores.ts, read
 * by these rules, the blast radius and the risk score alike (issue 11, point 5).
 */
export { DATA_READ_ACTIONS, DATA_WRITE_ACTIONS } from "@/lib/analysis/data/data-stores";

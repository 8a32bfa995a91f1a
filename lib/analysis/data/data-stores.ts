/**
 * Which actions read, write or delete data in a data store. Reviewed like code: an action
 * belongs here when it moves data content (or destroys it), not when it only reads or changes
 * configuration — configuration changes show up in the access-level buckets instead.
 * Actions are lower-cased IAM actions; one action may appear in several columns
 * (e.g. `rds-data:executestatement` runs any SQL, so it reads, writes and deletes).
 */
export interface DataStoreEntry {
  /** Name shown as `DataStoreAccess.service`. */
  store: string;
  /** ARN service segments this store's resources use (`arn:aws:<service>:…`). */
  arnServices: string[];
  read: string[];
  write: string[];
  delete: string[];
}

export const DATA_STORES: DataStoreEntry[] = [
  {
    store: "s3",
    arnServices: ["s3"],
    read: [
      "s3:getobject",
      "s3:getobjectversion",
      "s3:getobjectattributes",
      "s3:getobjectversionattributes",
      "s3:getobjecttorrent",
      "s3:getobjectversiontorrent",
      "s3:listbucket",
      "s3:listbucketversions",
    ],
    write: ["s3:putobject", "s3:replicateobject", "s3:restoreobject"],
    delete: ["s3:deleteobject", "s3:deleteobjectversion", "s3:deletebucket"],
  },
  {
    store: "dynamodb",
    arnServices: ["dynamodb"],
    read: [
      "dynamodb:getitem",
      "dynamodb:batchgetitem",
      "dynamodb:query",
      "dynamodb:scan",
      "dynamodb:partiqlselect",
      "dynamodb:getrecords",
      "dynamodb:exporttabletopointintime",
    ],
    write: ["dynamodb:putitem", "dynamodb:updateitem", "dynamodb:batchwriteitem", "dynamodb:partiqlinsert", "dynamodb:partiqlupdate"],
    // BatchWriteItem carries DeleteRequests as well as PutRequests.
    delete: ["dynamodb:deleteitem", "dynamodb:batchwriteitem", "dynamodb:partiqldelete", "dynamodb:deletetable", "dynamodb:deletebackup"],
  },
  {
    store: "rds",
    // rds-db:connect resources are `arn:aws:rds-db:…:dbuser:…`; Data API resources are cluster ARNs.
    arnServices: ["rds", "rds-db"],
    read: ["rds-data:executestatement", "rds-data:batchexecutestatement", "rds-db:connect"],
    write: ["rds-data:executestatement", "rds-data:batchexecutestatement", "rds-db:connect"],
    delete: [
      "rds-data:executestatement",
      "rds-data:batchexecutestatement",
      "rds-db:connect",
      "rds:deletedbinstance",
      "rds:deletedbcluster",
      "rds:deletedbsnapshot",
      "rds:deletedbclustersnapshot",
    ],
  },
  {
    store: "sqs",
    arnServices: ["sqs"],
    read: ["sqs:receivemessage"],
    // DeleteMessage acknowledges a received message (part of consuming it): a write, not destruction.
    write: ["sqs:sendmessage", "sqs:deletemessage"],
    delete: ["sqs:purgequeue", "sqs:deletequeue"],
  },
  {
    store: "sns",
    arnServices: ["sns"],
    // Subscribing an endpoint the attacker owns copies every future message out.
    read: ["sns:subscribe"],
    write: ["sns:publish"],
    delete: ["sns:deletetopic"],
  },
  {
    store: "kinesis",
    arnServices: ["kinesis"],
    read: ["kinesis:getrecords", "kinesis:getsharditerator", "kinesis:subscribetoshard"],
    write: ["kinesis:putrecord", "kinesis:putrecords"],
    delete: ["kinesis:deletestream"],
  },
  {
    store: "firehose",
    arnServices: ["firehose"],
    read: [],
    write: ["firehose:putrecord", "firehose:putrecordbatch"],
    delete: ["firehose:deletedeliverystream"],
  },
  {
    store: "secretsmanager",
    arnServices: ["secretsmanager"],
    read: ["secretsmanager:getsecretvalue", "secretsmanager:batchgetsecretvalue"],
    write: ["secretsmanager:putsecretvalue", "secretsmanager:updatesecret", "secretsmanager:restoresecret"],
    delete: ["secretsmanager:deletesecret"],
  },
  {
    store: "ssm",
    arnServices: ["ssm"],
    read: ["ssm:getparameter", "ssm:getparameters", "ssm:getparametersbypath", "ssm:getparameterhistory"],
    write: ["ssm:putparameter"],
    delete: ["ssm:deleteparameter", "ssm:deleteparameters"],
  },
  {
    store: "kms",
    arnServices: ["kms"],
    // Decrypt is what turns an encrypted store's ciphertext into data.
    read: ["kms:decrypt", "kms:reencryptfrom"],
    write: ["kms:encrypt", "kms:generatedatakey", "kms:generatedatakeywithoutplaintext", "kms:reencryptto"],
    // A key scheduled for deletion or disabled makes everything encrypted under it unreadable.
    delete: ["kms:schedulekeydeletion", "kms:disablekey"],
  },
  {
    store: "efs",
    arnServices: ["elasticfilesystem"],
    read: ["elasticfilesystem:clientmount"],
    write: ["elasticfilesystem:clientwrite", "elasticfilesystem:clientrootaccess"],
    delete: ["elasticfilesystem:clientwrite", "elasticfilesystem:deletefilesystem"],
  },
  {
    store: "elasticache",
    arnServices: ["elasticache"],
    // IAM auth to Redis/Valkey: one connect action for every command.
    read: ["elasticache:connect"],
    write: ["elasticache:connect"],
    delete: [
      "elasticache:connect",
      "elasticache:deletecachecluster",
      "elasticache:deletereplicationgroup",
      "elasticache:deleteserverlesscache",
    ],
  },
  {
    store: "opensearch",
    arnServices: ["es"],
    read: ["es:eshttpget", "es:eshttphead", "es:eshttppost"],
    write: ["es:eshttppost", "es:eshttpput", "es:eshttppatch"],
    delete: ["es:eshttpdelete", "es:deletedomain", "es:deleteelasticsearchdomain"],
  },
  {
    store: "opensearch-serverless",
    arnServices: ["aoss"],
    read: ["aoss:apiaccessall"],
    write: ["aoss:apiaccessall"],
    delete: ["aoss:apiaccessall", "aoss:deletecollection"],
  },
];

export type DataAccessKind = "read" | "write" | "delete";

/** Lower-cased action → the stores and kinds it counts for. */
export const DATA_STORE_ACTIONS: ReadonlyMap<string, { entry: DataStoreEntry; kinds: DataAccessKind[] }> = (() => {
  const map = new Map<string, { entry: DataStoreEntry; kinds: DataAccessKind[] }>();
  for (const entry of DATA_STORES) {
    for (const kind of ["read", "write", "delete"] as const) {
      for (const action of entry[kind]) {
        const found = map.get(action);
        if (found) found.kinds.push(kind);
        else map.set(action, { entry, kinds: [kind] });
      }
    }
  }
  return map;
})();

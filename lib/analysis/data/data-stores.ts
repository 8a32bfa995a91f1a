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
    read: ["rds-data:executestatement", "rds-data:batchexecutestatement", "rds-db:connect", "rds:downloaddblogfileportion"],
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
  {
    store: "s3express",
    arnServices: ["s3express"],
    // One session action grants object reads and writes in a directory bucket.
    read: ["s3express:createsession"],
    write: ["s3express:createsession"],
    delete: ["s3express:createsession", "s3express:deletebucket"],
  },
  {
    store: "dax",
    arnServices: ["dax"],
    read: ["dax:getitem", "dax:batchgetitem", "dax:query", "dax:scan"],
    write: ["dax:putitem", "dax:updateitem", "dax:batchwriteitem"],
    delete: ["dax:deleteitem", "dax:batchwriteitem"],
  },
  {
    store: "redshift",
    arnServices: ["redshift", "redshift-serverless"],
    read: ["redshift-data:executestatement", "redshift-data:batchexecutestatement", "redshift-data:getstatementresult"],
    write: ["redshift-data:executestatement", "redshift-data:batchexecutestatement"],
    delete: ["redshift-data:executestatement", "redshift-data:batchexecutestatement", "redshift:deletecluster"],
  },
  {
    store: "glacier",
    arnServices: ["glacier"],
    read: ["glacier:getjoboutput"],
    write: ["glacier:uploadarchive"],
    delete: ["glacier:deletearchive", "glacier:deletevault"],
  },
  {
    store: "keyspaces",
    arnServices: ["cassandra"],
    read: ["cassandra:select"],
    write: ["cassandra:modify"],
    delete: ["cassandra:modify", "cassandra:drop"],
  },
  {
    store: "neptune",
    arnServices: ["neptune-db"],
    read: ["neptune-db:readdataviaquery"],
    write: ["neptune-db:writedataviaquery"],
    delete: ["neptune-db:deletedataviaquery"],
  },
  {
    store: "timestream",
    arnServices: ["timestream"],
    read: ["timestream:select"],
    write: ["timestream:writerecords"],
    delete: ["timestream:deletetable", "timestream:deletedatabase"],
  },
  {
    store: "ebs-snapshots",
    arnServices: ["ec2", "ebs"],
    read: ["ebs:getsnapshotblock"],
    write: ["ebs:putsnapshotblock"],
    delete: [],
  },
  {
    store: "logs",
    arnServices: ["logs"],
    // Log events often carry request payloads and tokens. Writing logs is what every function does,
    // and deleting them is audit tampering (the infrastructure-modification rule): read only here.
    read: ["logs:getlogevents", "logs:filterlogevents", "logs:startquery"],
    write: [],
    delete: [],
  },
];

/** Words for a data action in a finding's reason ("scan whole tables"); others read as "read <store> data". */
const ACTION_WORDS: Record<string, string> = {
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

function actionsOfKinds(kinds: ("read" | "write" | "delete")[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of DATA_STORES) for (const kind of kinds) for (const action of entry[kind]) out[action] ??= ACTION_WORDS[action] ?? `${kind} ${entry.store} data`;
  return out;
}

/** Actions that read stored data: the data-store-read-all rule's and the blast radius' "data it can read". */
export const DATA_READ_ACTIONS: Readonly<Record<string, string>> = actionsOfKinds(["read"]);
/** Actions that write or delete stored data: the data-store-write-all rule's and the blast radius' "data it can write / delete". */
export const DATA_WRITE_ACTIONS: Readonly<Record<string, string>> = actionsOfKinds(["write", "delete"]);

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

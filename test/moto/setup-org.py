"""Test support: builds an AWS organization in a running moto_server through its API (boto3).

Usage: python3 setup-org.py ENDPOINT
Prints one JSON object on stdout: every object created, for the test to look for in the report,
and every environment value set, for the test to look for everywhere else.

moto keeps one backend per account and picks it by the credentials a call is signed with:
the credentials sts:AssumeRole returns belong to the role's account
(https://docs.getmoto.org/en/latest/docs/multi_account.html).
"""

import io
import json
import sys
import zipfile

import boto3

ENDPOINT = sys.argv[1]
MANAGEMENT_KEYS = {"aws_access_key_id": "AKIAMOTOMANAGEMENT01", "aws_secret_access_key": "moto-secret"}
REGIONS = ["us-east-1", "eu-west-1"]
AUDIT_ROLE = "SaltzerAuditRole"


def client(service, region="us-east-1", keys=None):
    return boto3.client(service, region_name=region, endpoint_url=ENDPOINT, **(keys or MANAGEMENT_KEYS))


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def zipped_handler():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


created = {"accounts": [], "ous": [], "scps": [], "roles": [], "managedPolicies": [], "functions": [], "resourcePolicies": [], "functionUrls": [], "eventSourceMappings": [], "environmentValues": []}

org = client("organizations")
organization = org.create_organization(FeatureSet="ALL")["Organization"]
management = organization["MasterAccountId"]
root = org.list_roots()["Roots"][0]["Id"]

workloads = org.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]["Id"]
prod = org.create_organizational_unit(ParentId=workloads, Name="Prod")["OrganizationalUnit"]["Id"]
dev = org.create_organizational_unit(ParentId=workloads, Name="Dev")["OrganizationalUnit"]["Id"]
created["ous"] = [workloads, prod, dev]

members = []
for name, parent in [("prod", prod), ("dev", dev), ("sandbox", workloads)]:
    status = org.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]
    account = status["AccountId"]
    org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=parent)
    members.append((name, account))
created["accounts"] = [management] + [a for _, a in members]

scps = [
    ("DenyLeaveOrganization", root, doc({"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"})),
    ("DenyStopCloudTrail", workloads, doc({"Effect": "Deny", "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"], "Resource": "*"})),
    ("DenyIamUsersInDev", dict(members)["dev"], doc({"Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"})),
]
for name, target, content in scps:
    policy = org.create_policy(Name=name, Description=name, Type="SERVICE_CONTROL_POLICY", Content=content)["Policy"]["PolicySummary"]["Id"]
    org.attach_policy(PolicyId=policy, TargetId=target)
    created["scps"].append({"id": policy, "name": name, "target": target})

lambda_trust = doc({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"})
code = zipped_handler()
sts = client("sts")

for index, (name, account) in enumerate(members):
    # The organization's own admin role, then the audit role Saltzer assumes, as a StackSet would create it.
    session = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="setup")["Credentials"]
    keys = {"aws_access_key_id": session["AccessKeyId"], "aws_secret_access_key": session["SecretAccessKey"], "aws_session_token": session["SessionToken"]}
    iam = client("iam", keys=keys)
    iam.create_role(RoleName=AUDIT_ROLE, AssumeRolePolicyDocument=doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{management}:root"}, "Action": "sts:AssumeRole"}))
    # moto loads no AWS-managed policies unless asked to (slow): the audit policy is inline here.
    iam.put_role_policy(RoleName=AUDIT_ROLE, PolicyName="saltzer-audit", PolicyDocument=doc({"Effect": "Allow", "Action": ["lambda:List*", "lambda:Get*", "iam:Get*", "iam:List*", "ec2:DescribeRegions"], "Resource": "*"}))
    created["roles"].append(f"arn:aws:iam::{account}:role/{AUDIT_ROLE}")

    boundary = iam.create_policy(PolicyName=f"{name}-boundary", PolicyDocument=doc({"Effect": "Allow", "Action": ["s3:*", "sqs:*", "logs:*", "dynamodb:*"], "Resource": "*"}))["Policy"]["Arn"]
    managed = iam.create_policy(PolicyName=f"{name}-data-access", PolicyDocument=doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{name}-data/*"}))["Policy"]["Arn"]
    # Several versions: the default (v3) is the widest.
    iam.create_policy_version(PolicyArn=managed, PolicyDocument=doc({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"arn:aws:s3:::{name}-data/*"}), SetAsDefault=True)
    iam.create_policy_version(PolicyArn=managed, PolicyDocument=doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}), SetAsDefault=True)
    created["managedPolicies"] += [{"arn": boundary, "versions": 1}, {"arn": managed, "versions": 3, "defaultVersionId": "v3"}]

    role = f"{name}-worker"
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=lambda_trust, PermissionsBoundary=boundary)["Role"]["Arn"]
    iam.attach_role_policy(RoleName=role, PolicyArn=managed)
    iam.put_role_policy(RoleName=role, PolicyName="queue-and-logs", PolicyDocument=doc(
        {"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], "Resource": "*"},
        {"Effect": "Allow", "Action": "logs:*", "Resource": "*"},
    ))
    # An admin role without boundary: a function using it is the finding both crawls must agree on.
    admin_role = f"{name}-admin-fn"
    admin_arn = iam.create_role(RoleName=admin_role, AssumeRolePolicyDocument=lambda_trust)["Role"]["Arn"]
    admin = iam.create_policy(PolicyName=f"{name}-admin", PolicyDocument=doc({"Effect": "Allow", "Action": "*", "Resource": "*"}))["Policy"]["Arn"]
    created["managedPolicies"].append({"arn": admin, "versions": 1})
    iam.attach_role_policy(RoleName=admin_role, PolicyArn=admin)
    iam.put_role_policy(RoleName=admin_role, PolicyName="pass-any-role", PolicyDocument=doc({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}))
    created["roles"] += [role_arn, admin_arn]

    for region in REGIONS:
        lam = client("lambda", region, keys)
        sqs = client("sqs", region, keys)
        queue_url = sqs.create_queue(QueueName=f"{name}-jobs")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        for fn_name, fn_role, public in [(f"{name}-worker-{region}", role_arn, False), (f"{name}-api-{region}", admin_arn, True)]:
            values = {
                "DB_PASS": f"moto canary {account} {fn_name} db ~1",
                "CONFIG": f"moto canary {account} {fn_name} config ~2",
                "X": f"moto canary {account} {fn_name} x ~3",
                "STRIPE_API_KEY": f"sk_live_motocanary{index}{len(fn_name)}abcdefghijklmnop",
            }
            created["environmentValues"] += list(values.values())
            arn = lam.create_function(
                FunctionName=fn_name, Runtime="python3.12", Role=fn_role, Handler="index.handler", Code={"ZipFile": code},
                Environment={"Variables": values}, MemorySize=256, Timeout=30,
            )["FunctionArn"]
            created["functions"].append(arn)
            if public:
                lam.add_permission(FunctionName=fn_name, StatementId="public-url", Action="lambda:InvokeFunctionUrl", Principal="*", FunctionUrlAuthType="NONE")
                url = lam.create_function_url_config(FunctionName=fn_name, AuthType="NONE")["FunctionUrl"]
                created["resourcePolicies"].append({"function": arn, "sid": "public-url"})
                created["functionUrls"].append({"function": arn, "url": url})
            else:
                lam.add_permission(FunctionName=fn_name, StatementId="from-s3", Action="lambda:InvokeFunction", Principal="s3.amazonaws.com", SourceArn=f"arn:aws:s3:::{name}-data", SourceAccount=account)
                created["resourcePolicies"].append({"function": arn, "sid": "from-s3"})
                mapping = lam.create_event_source_mapping(EventSourceArn=queue_arn, FunctionName=fn_name, BatchSize=5)["UUID"]
                created["eventSourceMappings"].append({"uuid": mapping, "function": arn, "source": queue_arn})

json.dump({"management": management, "managementKeys": MANAGEMENT_KEYS, "members": dict(members), "regions": REGIONS, **created}, sys.stdout)

/**
 * Actions Lambda's event source poller performs with the execution role, per source service.
 * AWS's own managed execution roles (AWSLambdaSQSQueueExecutionRole, AWSLambdaKinesisExecutionRole,
 * AWSLambdaDynamoDBExecutionRole) grant them on `*`. Sources:
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions
 * https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html#services-kinesis-permissions
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html#events-dynamodb-permissions
 */
import type { RuleContext } from "../types";

export const POLLER_ACTIONS: Record<string, ReadonlySet<string>> = {
  dynamodb: new Set(["dynamodb:getrecords", "dynamodb:getsharditerator", "dynamodb:describestream", "dynamodb:liststreams"]),
  kinesis: new Set(["kinesis:getrecords", "kinesis:getsharditerator", "kinesis:describestream", "kinesis:describestreamsummary", "kinesis:listshards", "kinesis:liststreams", "kinesis:subscribetoshard"]),
  sqs: new Set(["sqs:receivemessage", "sqs:deletemessage", "sqs:getqueueattributes"]),
};

/**
 * True when every action is one the function's own event source poller needs: the grant is
 * wider than needed (every queue or stream), but it is the documented shape, so rules report it low.
 */
export function onlyPollerActions(ctx: RuleContext, service: string, actions: string[]): boolean {
  const mapped = (ctx.index.mappingsByFunction.get(ctx.fn.arn) ?? []).some((m) => m.eventSourceArn?.split(":")[2] === service);
  return mapped && actions.every((a) => POLLER_ACTIONS[service]?.has(a));
}

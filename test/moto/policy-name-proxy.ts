/**
 * Test support: an HTTP proxy in front of moto_server that adds the one member moto leaves out
 * of iam:GetAccountAuthorizationDetails, `Policies[].PolicyName` (real IAM always sends it; moto
 * 5.2 does not). Without it, Saltzer rejects each account's IAM answer (a named gap live, a
 * named error offline, as the moto test shows first), and nothing else of the emulator's
 * organization could be checked. Everything else passes through untouched; signatures are not
 * checked by moto, so forwarding signed requests as they are is fine.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface PolicyNameProxy {
  endpoint: string;
  /** Policies given their name back so far. */
  readonly policiesNamed: number;
  close(): Promise<void>;
}

// In the Policies list each member starts with its Arn; role, user and group members start with
// other elements, and attached policies use <PolicyArn>, so only managed-policy entries match.
const POLICY_MEMBER = /<member><Arn>(arn:[\w-]+:iam::\d{12}:policy\/(?:[^<]*\/)?([^</]+))<\/Arn>/g;

export async function startPolicyNameProxy(target: string): Promise<PolicyNameProxy> {
  const upstream = new URL(target);
  let policiesNamed = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const isDetails = body.toString("utf8").includes("Action=GetAccountAuthorizationDetails");
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on("data", (c: Buffer) => parts.push(c));
          answer.on("end", () => {
            let out = Buffer.concat(parts);
            if (isDetails && answer.statusCode === 200) {
              const text = out.toString("utf8").replace(POLICY_MEMBER, (_all, arn: string, name: string) => {
                policiesNamed++;
                return `<member><PolicyName>${name}</PolicyName><Arn>${arn}</Arn>`;
              });
              out = Buffer.from(text, "utf8");
            }
            const headers = { ...answer.headers, "content-length": String(out.length) };
            delete headers["transfer-encoding"];
            res.writeHead(answer.statusCode ?? 502, headers);
            res.end(out);
          });
        },
      );
      forward.on("error", (error) => {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(`proxy: ${error.message}`);
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get policiesNamed() {
      return policiesNamed;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

import { describe, expect, it } from "vitest";
import { formatCan } from "./can-command";
import { formatGate } from "./check-command";
import { reportForTerminal } from "./commands";
import { createProgressBar } from "./progress-bar";
import { safeTerminalBlock, safeTerminalJson, safeTerminalText } from "./terminal-text";

// Raw terminal controls: C0 but newline, DEL, C1, bidi overrides and isolates.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = "fn\u001b]8;;https://evil.example/\u0007x\u001b]8;;\u0007\u001b[2J\r\u0007\u007f\u009b2J\u202eabc\u2067";

describe("safeTerminalText", () => {
  it("shows every control, DEL, C1 and bidi character as a visible escape", () => {
    // Given a name with OSC 8, ESC[2J, CR, BEL, DEL, a one-byte CSI and bidi controls
    // When it is made safe
    const safe = safeTerminalText(HOSTILE);
    // Then nothing raw is left and each character is spelled out
    expect(safe).not.toMatch(RAW_CONTROL);
    expect(safe).toBe("fn\\x1b]8;;https://evil.example/\\x07x\\x1b]8;;\\x07\\x1b[2J\\x0d\\x07\\x7f\\x9b2J\\u202eabc\\u2067");
  });

  it("leaves ordinary text, accents and emoji alone", () => {
    expect(safeTerminalText("orders-api · café 🚀 arn:aws:lambda:us-east-1:1:function:x")).toBe("orders-api · café 🚀 arn:aws:lambda:us-east-1:1:function:x");
  });

  it("in a block, keeps line breaks and CRLF but not a lone CR", () => {
    expect(safeTerminalBlock("a,b\r\nc\rd\n\te\u001b")).toBe("a,b\r\nc\\x0dd\n\te\\x1b");
  });

  it("in JSON, escapes what JSON.stringify leaves raw and the JSON still parses to the same value", () => {
    // Given JSON of a hostile string
    const json = JSON.stringify({ name: HOSTILE });
    // When it is made safe
    const safe = safeTerminalJson(json);
    // Then it has no raw control and parses back to the same string
    expect(safe).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(safe)).toEqual({ name: HOSTILE });
  });
});

describe("CLI printers", () => {
  it("check prints a hostile function ARN and reason inert", () => {
    const out = formatGate(
      { failed: true, offending: [{ functionArn: `arn:aws:lambda:us-east-1:1:function:${HOSTILE}`, ruleId: "public-invoke", severity: "critical", title: "t", reason: `because ${HOSTILE}`, fingerprint: "f" }], suppressed: 0, ignoredAsBaseline: 0, incompleteFunctions: 0, failedIncomplete: false },
      "critical",
      null,
      [],
    );
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).toContain("function:fn\\x1b]8;;");
  });

  it("can prints hostile policy names and reasons inert", () => {
    const out = formatCan({
      decision: "denied",
      conditional: false,
      summary: `denied by ${HOSTILE}`,
      allowedBy: [{ name: HOSTILE, conditions: null }],
      deniedBy: [{ name: `SCP ${HOSTILE}`, reason: HOSTILE }],
      action: "s3:GetObject",
      resource: `arn:aws:s3:::${HOSTILE}`,
    } as unknown as Parameters<typeof formatCan>[0]);
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).toContain("denied by: SCP fn\\x1b]8;;");
  });

  it("the progress bar on a terminal shows a hostile detail inert (its own line control stays)", () => {
    let written = "";
    const stream = { isTTY: true, columns: 400, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
    const bar = createProgressBar(stream);
    bar.update("reading", 0.5, `reading /tmp/${HOSTILE}`);
    // Only the bar's own "\r ESC[2K" prefix is raw
    expect(written.startsWith("\r\u001b[2K")).toBe(true);
    expect(written.slice("\r\u001b[2K".length)).not.toMatch(RAW_CONTROL);
  });

  it("a CSV or HTML report is escaped on a terminal only; JSON and SARIF always, and stay parseable", () => {
    const csv = `name\r\n${HOSTILE}\r\n`;
    expect(reportForTerminal(csv, "csv", false)).toBe(csv);
    expect(reportForTerminal(csv, "csv", true)).not.toMatch(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    const json = JSON.stringify({ reason: HOSTILE });
    for (const format of ["json", "sarif"] as const) {
      expect(reportForTerminal(json, format, false)).not.toMatch(RAW_CONTROL);
      expect(JSON.parse(reportForTerminal(json, format, false))).toEqual({ reason: HOSTILE });
    }
  });
});

/**
 * Every path of the pathfinding.cloud catalogue is claimed by exactly one escalation method, and
 * that method requires every permission the path lists (apart from the few it checks another way).
 */
import { describe, expect, it } from "vitest";
import { ESCALATION_METHODS } from "./methods";
import { PATHFINDING_PATHS } from "./pathfinding-paths";

/** Permissions a path lists that a method covers without a `requires` group, and why. */
const CHECKED_OTHERWISE: Record<string, string> = {
  "sts:assumerole": "checked against the target's trust policy (and not needed when a same-account trust names the role)",
  "ec2:describeinstances": "reconnaissance only: finding the instance is not a permission the path depends on",
  "iam:deleteaccesskey": "needed only when the user already has two keys",
  "ecs:createcluster": "an existing cluster (the default one) serves as well",
  "iam-put-user-policy iam:createaccesskey": "checked per user: one of CreateAccessKey / CreateLoginProfile / UpdateLoginProfile on that user",
  "lambda-update-function-code lambda:invokefunction": "optional: the new code runs on the function's next invocation; added to the path when granted",
  "lambda-update-function-code lambda:addpermission": "optional: the new code runs on the function's next invocation",
};

describe("pathfinding.cloud catalogue coverage", () => {
  it("holds the 65 published paths", () => {
    expect(PATHFINDING_PATHS).toHaveLength(65);
  });

  for (const path of PATHFINDING_PATHS) {
    it(`${path.id} (${path.name}) is claimed by exactly one method requiring its permissions`, () => {
      const claiming = ESCALATION_METHODS.filter((m) => m.catalogue.includes(path.id));
      expect(claiming.map((m) => m.id)).toHaveLength(1);
      const method = claiming[0];
      const required = new Set([...(method.passedToService ? ["iam:passrole"] : []), ...method.requires.flat()]);
      for (const permission of path.permissions.map((p) => p.toLowerCase())) {
        if (permission in CHECKED_OTHERWISE || `${method.id} ${permission}` in CHECKED_OTHERWISE) continue;
        expect(required.has(permission), `${method.id} lacks ${permission}`).toBe(true);
      }
    });
  }

  it("claims no path id that the catalogue does not have", () => {
    const known = new Set(PATHFINDING_PATHS.map((p) => p.id));
    for (const m of ESCALATION_METHODS) for (const id of m.catalogue) expect(known.has(id), `${m.id} claims ${id}`).toBe(true);
  });
});

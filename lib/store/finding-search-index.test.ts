import { describe, expect, it } from "vitest";
import { FindingSearchIndex, searchId } from "./finding-search-index";

describe("the findings' search index as it is written", () => {
  it("gives findings naming the same lines, in any order or case, one text, and hands out each term and text once", () => {
    // Given one scan's index
    const index = new FindingSearchIndex();

    // When three findings are added, two of them naming the same lines differently
    const first = index.add(["S3:GetObject", "s3:putobject"], ["arn:aws:s3:::Orders/*"]);
    const same = index.add(["s3:PutObject", "s3:getobject", "s3:getobject"], ["ARN:AWS:S3:::orders/*"]);
    const other = index.add(["s3:getobject"], []);

    // Then the first brings its text and its three lower-cased terms; the same lines bring nothing new
    expect(first.textId).toBe(searchId(["arn:aws:s3:::orders/*", "s3:getobject", "s3:putobject"].join("\n")));
    expect(first.terms.map((t) => t.term)).toEqual(["arn:aws:s3:::orders/*", "s3:getobject", "s3:putobject"]);
    expect(first.textTerms).toHaveLength(3);
    expect(same).toEqual({ textId: first.textId, terms: [], textTerms: [] });
    // And a new set of known lines is a new text reusing the term's id
    expect(other.textId).not.toBe(first.textId);
    expect(other.terms).toEqual([]);
    expect(other.textTerms).toEqual([{ termId: searchId("s3:getobject"), textId: other.textId }]);
  });

  it("answers the same lists a role's functions share from memory, and the same as reading them again", () => {
    // Given the lists of a role's finding, shared by its functions' findings (lib/rules/index.ts)
    const actions = ["S3:GetObject"];
    const resources = ["arn:aws:s3:::orders/*"];
    const index = new FindingSearchIndex();
    const first = index.add(actions, resources);

    // When the same lists come again, and the same lines in other lists, and the actions alone
    const again = index.add(actions, resources);
    const copy = new FindingSearchIndex();
    copy.add(actions, resources);
    const alone = index.add(actions, null);

    // Then the same lists name the same text with nothing new, as a copy of them does in a fresh index
    expect(again).toEqual({ textId: first.textId, terms: [], textTerms: [] });
    expect(copy.add([...actions], [...resources])).toEqual(again);
    // And the actions without the resources are another text, with its one term already handed out
    expect(alone.textId).toBe(searchId("s3:getobject"));
    expect(alone.terms).toEqual([]);
    expect(alone.textTerms).toEqual([{ termId: searchId("s3:getobject"), textId: alone.textId }]);
    expect(index.add(actions, undefined)).toEqual({ textId: alone.textId, terms: [], textTerms: [] });
  });

  it("gives a finding naming no action or resource no text", () => {
    expect(new FindingSearchIndex().add([], null)).toEqual({ textId: null, terms: [], textTerms: [] });
  });

  it("numbers a text by its content, the same in every scan, as a signed 64-bit integer", () => {
    const id = searchId("s3:getobject");
    expect(new FindingSearchIndex().add(["s3:getobject"], []).terms[0].id).toBe(id);
    expect(BigInt(id)).toBeGreaterThanOrEqual(-(2n ** 63n));
    expect(BigInt(id)).toBeLessThan(2n ** 63n);
    expect(searchId("s3:putobject")).not.toBe(id);
  });
});

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

import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CsvProblemList } from "./csv-upload";

const text = (html: string) => html.replace(/<[^>]+>/g, "|").replace(/\|+/g, "|");

describe("the problems of a checked CSV file", () => {
  it("names line and column in words, lists the first ones and counts the rest", () => {
    const problems = Array.from({ length: 22 }, (_, i) => ({ line: i + 2, column: "supplier_name", message: `problem ${i}` }));
    const html = renderToStaticMarkup(createElement(CsvProblemList, { problems, more: 5 }));
    expect(text(html)).toContain("|Line 2, supplier name: |problem 0|");
    expect(html).not.toContain("problem 20");
    expect(html).toContain("…and 7 more");
  });

  it("leaves the line out for a problem of the whole file", () => {
    const html = renderToStaticMarkup(createElement(CsvProblemList, { problems: [{ line: 0, message: "The file is empty." }] }));
    expect(text(html)).toBe("|The file is empty.|");
  });
});

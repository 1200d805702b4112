import { stringify } from "csv-stringify/sync";
import { z } from "zod";

export const exportFormats = ["csv", "json"] as const;
export type ExportFormat = (typeof exportFormats)[number];
export const exportFormatSchema = z.enum(exportFormats).default("csv");

/** Rows one export writes at most; narrow the filters (e.g. `since`) for more. */
export const EXPORT_MAX_ROWS = 200_000;
/** Rows read from the database per query while streaming. */
export const EXPORT_PAGE_SIZE = 500;

export interface ExportPage<Row> {
  items: Row[];
  nextCursor: string | null;
}

export interface ExportOptions<Row> {
  format: ExportFormat;
  /** CSV columns in order: header name and how to read the cell from a row. */
  columns: ReadonlyArray<{ header: string; value: (row: Row) => unknown }>;
  /** Reads one page after `cursor` (undefined = the first page); the list routes' own functions. */
  readPage: (cursor: string | undefined) => Promise<ExportPage<Row>>;
  /** JSON export: the row as the list API returns it. */
  toJson?: (row: Row) => unknown;
  maxRows?: number;
  /** Told about a read that failed mid-stream (the status line has gone out; the body just ends short). */
  onError: (error: unknown) => void;
}

const encoder = new TextEncoder();

function cell(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  if (typeof value === "number") return value;
  return String(value);
}

/**
 * Streams rows as CSV or a JSON array without building the file in memory: one page is read only
 * when the client has taken the previous one (pull), and the export stops at `maxRows`. CSV cells
 * that start like a formula (=, +, -, @) are escaped so a spreadsheet does not run them.
 */
export function exportStream<Row>(options: ExportOptions<Row>): ReadableStream<Uint8Array> {
  const { format, columns, readPage, toJson = (row: Row) => row, maxRows = EXPORT_MAX_ROWS, onError } = options;
  let cursor: string | undefined;
  let written = 0;
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(format === "csv" ? stringify([columns.map((column) => column.header)]) : "["));
        return;
      }
      if (done) return;
      // A page read on SQLite is synchronous, and Next writes the body as fast as pages come: without
      // this turn of the event loop an export ran to its end before any other request was served.
      await new Promise((resolve) => setImmediate(resolve));
      let page: ExportPage<Row>;
      try {
        page = await readPage(cursor);
      } catch (error) {
        onError(error);
        controller.error(error);
        return;
      }
      const rows = page.items.slice(0, maxRows - written);
      if (rows.length > 0) {
        const text =
          format === "csv"
            ? stringify(
                rows.map((row) => columns.map((column) => cell(column.value(row)))),
                { escape_formulas: true },
              )
            : rows.map((row, index) => `${written + index === 0 ? "" : ","}\n${JSON.stringify(toJson(row))}`).join("");
        controller.enqueue(encoder.encode(text));
        written += rows.length;
      }
      if (page.nextCursor === null || written >= maxRows) {
        done = true;
        if (format === "json") controller.enqueue(encoder.encode("\n]\n"));
        controller.close();
        return;
      }
      cursor = page.nextCursor;
    },
  });
}

/** The response for an export: a download named after what it holds. */
export function exportResponse(stream: ReadableStream<Uint8Array>, format: ExportFormat, baseName: string): Response {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(stream, {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${baseName}-${stamp}.${format}"`,
      "Cache-Control": "no-store",
      "X-Export-Row-Limit": String(EXPORT_MAX_ROWS),
    },
  });
}

// A data table: a caption for screen readers, column headers (some may order the rows), right-aligned numbers, a
// row key.
import type { ComponentChildren } from 'preact';

export interface Column<Row> {
  /** Header text. */
  label: string;
  /** The cell; plain values are printed as they are. */
  cell: (row: Row) => ComponentChildren;
  /** Numbers and money align right. */
  numeric?: boolean;
  /** A column the rows can be ordered by (largest first): whether they are now, and how to ask for it. */
  sort?: { active: boolean; onSort: () => void };
}

export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
}: {
  caption: string;
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
}) {
  return (
    <div class="table-wrap">
      <table class="data-table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.label}
                scope="col"
                class={c.numeric ? 'num' : undefined}
                aria-sort={c.sort?.active ? 'descending' : undefined}
              >
                {c.sort ? (
                  <button type="button" class="sort-button" onClick={c.sort.onSort}>
                    {c.label}
                    <span aria-hidden="true">{c.sort.active ? ' ▼' : ' ▽'}</span>
                  </button>
                ) : (
                  c.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.label} class={c.numeric ? 'num' : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Compliance exports (XLSX/CSV) built by the worker, and the full-ID permission. */
export default {
  'complianceExports.title': '导出文件',
}

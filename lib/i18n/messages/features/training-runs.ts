import { defineMessages } from "./define";

/**
 * Messages the training service builds (lib/training): why a dataset row was left out, why a dataset or a run was
 * refused. Sent in API bodies as catalog key + parameters next to the English text, so the admin UI shows them in
 * the reader's language (lib/i18n/message.ts renders keys under trainingRuns.reason.*).
 */
export default defineMessages({
  en: {
    reason: {
      badRow: {
        notUtf8: "Line {line}: not valid UTF-8 (save the file as UTF-8).",
        badJson: "Line {line}: not a JSON object.",
        notString: "Line {line}: “{field}” must be a string.",
        unclosedQuote: "Line {line}: a quoted field is never closed, so lines {line}–{end} could not be read.",
        csvError: "Line {line}: this row is not valid CSV.",
        extraFields: "Line {line}: {fields} fields where the header has {columns}; put a text that contains commas in double quotes.",
        missingField: "Line {line}: no “{field}” field.",
        emptyText: "Line {line}: the text is empty.",
        emptyLabel: "Line {line}: the label is empty.",
        textTooLong: "Line {line}: the text has {chars} characters; at most {max}.",
        labelTooLong: "Line {line}: the label has {chars} characters; at most {max}.",
      },
      dataset: {
        empty: "The dataset is empty.",
        utf16: "The file is UTF-16; save it as UTF-8.",
        tooLarge: "The dataset is {mb} MB; at most {max} MB (PARETO_MAX_DATASET_MB).",
        overLimit: "The dataset is larger than {max} MB (PARETO_MAX_DATASET_MB).",
        noHeader: "The first line of a CSV dataset must be the header text,label (in either order); it is “{header}”.",
        noRows: "No usable rows: {bad} rows were reported bad and none is left to train on.",
        oneLabel: "Every usable row has the label “{label}”: a classifier needs at least two labels.",
        fewRows: "Too few rows for {labels}: every label needs at least {min}.",
        fewRowsLabel: "“{label}” ({count})",
        tooManyLabels: "{count} labels; at most {max}.",
        sep: ", ",
      },
      run: {
        interrupted: "The server running this training stopped before it finished.",
        failed: "Training failed: {detail}",
        workerDied: "The training thread stopped unexpectedly: {detail}",
        registration: "The trained models could not be registered: {detail}",
      },
    },
  },
  zh: {
    reason: {
      badRow: {
        notUtf8: "第 {line} 行：不是有效的 UTF-8（请将文件另存为 UTF-8）。",
        badJson: "第 {line} 行：不是 JSON 对象。",
        notString: "第 {line} 行：“{field}” 必须是字符串。",
        unclosedQuote: "第 {line} 行：引号字段没有闭合，第 {line}–{end} 行无法读取。",
        csvError: "第 {line} 行：这一行不是有效的 CSV。",
        extraFields: "第 {line} 行：有 {fields} 个字段，而表头只有 {columns} 个；包含逗号的文本请用双引号括起来。",
        missingField: "第 {line} 行：缺少 “{field}” 字段。",
        emptyText: "第 {line} 行：文本为空。",
        emptyLabel: "第 {line} 行：标签为空。",
        textTooLong: "第 {line} 行：文本有 {chars} 个字符，最多 {max} 个。",
        labelTooLong: "第 {line} 行：标签有 {chars} 个字符，最多 {max} 个。",
      },
      dataset: {
        empty: "数据集为空。",
        utf16: "文件是 UTF-16 编码，请另存为 UTF-8。",
        tooLarge: "数据集有 {mb} MB，最多 {max} MB（PARETO_MAX_DATASET_MB）。",
        overLimit: "数据集超过 {max} MB（PARETO_MAX_DATASET_MB）。",
        noHeader: "CSV 数据集的第一行必须是表头 text,label（顺序不限），实际是 “{header}”。",
        noRows: "没有可用的行：{bad} 行被报告为错误，没有剩下可以训练的数据。",
        oneLabel: "所有可用的行都是标签 “{label}”：分类器至少需要两个标签。",
        fewRows: "{labels} 的行数太少：每个标签至少需要 {min} 行。",
        fewRowsLabel: "“{label}”（{count} 行）",
        tooManyLabels: "共有 {count} 个标签，最多 {max} 个。",
        sep: "、",
      },
      run: {
        interrupted: "运行此训练的服务器在训练完成前停止了。",
        failed: "训练失败：{detail}",
        workerDied: "训练线程意外停止：{detail}",
        registration: "训练出的模型无法注册：{detail}",
      },
    },
  },
});

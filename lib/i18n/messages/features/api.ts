import { defineMessages } from "./define";

/** Strings of the API docs page. */
export default defineMessages({
  en: {
    title: "API reference",
    lead: "The REST API, generated from the same schemas the server validates with. Authenticate with Authorization: Bearer pk_…",
  },
  zh: {
    title: "API 参考",
    lead: "REST API 文档，由服务端校验所用的同一套 schema 生成。认证方式：Authorization: Bearer pk_…",
  },
});

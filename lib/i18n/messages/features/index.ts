/** Every feature's message catalog, mounted under its own top-level key (e.g. t("keys.create")). */
import api from "./api";

export const FEATURES = {
  en: { api: api.en },
  zh: { api: api.zh },
};

/** English core catalog (shell, auth, errors): the source of truth for keys; zh.ts must have the same shape.
 * Feature pages keep their strings in messages/features/<feature>.ts, both languages side by side. */
const en = {
  app: {
    name: "Pareto",
    tagline: "Self-hosted models, measured on your hardware",
    skipToContent: "Skip to content",
    starting: "Pareto is starting up. This page reloads by itself in a few seconds.",
  },
  nav: {
    label: "Main navigation",
    models: "Models",
    playground: "Playground",
    keys: "API keys",
    usage: "Usage",
    admin: "Admin",
    menu: "Menu",
  },
  user: {
    signIn: "Sign in",
    signUp: "Sign up",
    signOut: "Sign out",
    signedInAs: "Signed in as {email}",
    accountMenu: "Account menu",
    roleAdmin: "Administrator",
    roleUser: "Developer",
    plan: "Plan: {plan}",
  },
  locale: {
    label: "Language",
    en: "English",
    zh: "中文",
  },
  footer: {
    text: "Pareto — models served and measured on this host. Nothing leaves your machine.",
    health: "Status",
    docs: "API reference",
  },
  home: {
    title: "Pick the model that fits your budget",
    lead: "Pareto serves real ONNX models over a REST API and a browser playground, measures every model on this host — accuracy, latency under load, memory — and tells you which one meets your constraints.",
    ctaModels: "Browse models",
    ctaSignUp: "Create an account",
    ctaPlayground: "Open the playground",
    sectionsTitle: "What you can do here",
  },
  sections: {
    models: {
      title: "Model catalog",
      description: "Every model this host serves — OCR (PaddleOCR PP-OCRv4, Chinese and English) and voice activity detection (Silero VAD v4, v5, v6) — as cards with task, version, licence, size on disk, measured latency and accuracy, and copy-paste API snippets.",
    },
    playground: {
      title: "Playground",
      description: "Try a model in the browser: upload or paste an image and see detected text boxes drawn over it, or record or upload audio and see speech segments on the waveform — with latency and the exact API call to reproduce the run.",
    },
    keys: {
      title: "API keys",
      description: "Create keys for the REST API (shown once), scope them to models, set expiry and limits, rotate or revoke them.",
    },
    usage: {
      title: "Usage",
      description: "Your requests and compute time per day, by model and by key, latency percentiles, errors, and how much of this month's quota is left.",
    },
    admin: {
      title: "Administration",
      description: "Usage across all users, users and their plans, plan limits, model health and load state, and the audit log.",
    },
    comingSoon: "This section is being built. Here is what it will hold:",
  },
  auth: {
    signInTitle: "Sign in to Pareto",
    signUpTitle: "Create your Pareto account",
    email: "Email",
    password: "Password",
    name: "Name (optional)",
    passwordHint: "At least {min} characters.",
    submitSignIn: "Sign in",
    submitSignUp: "Create account",
    submitting: "Please wait…",
    orGithub: "Continue with GitHub",
    noAccount: "No account yet?",
    haveAccount: "Already have an account?",
    firstUserAdmin: "The first account created on a new installation becomes its administrator.",
    errors: {
      invalid_email: "Enter a valid email address.",
      password_too_short: "The password must be at least {min} characters.",
      password_too_long: "The password is too long.",
      name_too_long: "The name is too long.",
      email_taken: "An account with this email already exists.",
      invalid_credentials: "Wrong email or password.",
      throttled: "Too many failed attempts. Try again in a few minutes.",
      disabled: "This account is disabled.",
      generic: "Something went wrong. Please try again.",
    },
  },
  errors: {
    forbiddenTitle: "You don't have access to this page",
    forbiddenBody: "This page is for administrators. If you need access, ask an administrator of this Pareto installation.",
    notFoundTitle: "Page not found",
    notFoundBody: "There is nothing at this address.",
    backHome: "Back to the home page",
    errorTitle: "Something went wrong",
    errorBody: "The page could not be shown. Try again in a moment.",
    retry: "Try again",
  },
} as const;

export type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type CoreMessages = Widen<typeof en>;
export default en as CoreMessages;

import type { CoreMessages } from "./en";

/** 简体中文。Keys must match en.ts exactly (the type enforces it). */
const zh: CoreMessages = {
  app: {
    name: "Pareto",
    tagline: "自托管模型服务，在你的硬件上实测",
    skipToContent: "跳到正文",
    starting: "Pareto 正在启动，本页将在几秒后自动刷新。",
  },
  nav: {
    label: "主导航",
    models: "模型",
    playground: "在线试用",
    keys: "API 密钥",
    usage: "用量",
    admin: "管理",
    menu: "菜单",
  },
  user: {
    signIn: "登录",
    signUp: "注册",
    signOut: "退出登录",
    signedInAs: "已登录：{email}",
    accountMenu: "账户菜单",
    roleAdmin: "管理员",
    roleUser: "开发者",
    plan: "套餐：{plan}",
  },
  locale: {
    label: "语言",
    en: "English",
    zh: "中文",
  },
  footer: {
    text: "Pareto —— 模型在本机提供服务并在本机测量，数据不会离开你的机器。",
    health: "状态",
    docs: "API 参考",
  },
  home: {
    title: "选出符合预算的模型",
    lead: "Pareto 通过 REST API 和浏览器试用页提供真实的 ONNX 模型服务，在本机测量每个模型的准确率、负载下的延迟和内存占用，并告诉你哪个模型满足你的约束条件。",
    ctaModels: "浏览模型",
    ctaSignUp: "创建账户",
    ctaPlayground: "打开试用页",
    sectionsTitle: "你可以在这里做什么",
  },
  sections: {
    models: {
      title: "模型目录",
      description: "本机提供的所有模型——OCR（PaddleOCR PP-OCRv4，中英文）和语音活动检测（Silero VAD v4、v5、v6）——以卡片展示任务、版本、许可证、磁盘大小、实测延迟与准确率，并附可直接复制的 API 调用示例。",
    },
    playground: {
      title: "在线试用",
      description: "在浏览器中试用模型：上传或粘贴图片，查看叠加在图上的文字框；录制或上传音频，在波形上查看语音片段——同时显示延迟以及复现本次运行的 API 调用。",
    },
    keys: {
      title: "API 密钥",
      description: "为 REST API 创建密钥（仅显示一次），限定可用模型，设置有效期和限额，轮换或吊销密钥。",
    },
    usage: {
      title: "用量",
      description: "按天查看你的请求数与计算时间，按模型和密钥拆分，延迟分位数、错误，以及本月剩余配额。",
    },
    admin: {
      title: "管理",
      description: "所有用户的用量、用户及其套餐、套餐限额、模型健康与加载状态，以及审计日志。",
    },
    comingSoon: "此部分正在建设中，将包含：",
  },
  auth: {
    signInTitle: "登录 Pareto",
    signUpTitle: "创建 Pareto 账户",
    email: "邮箱",
    password: "密码",
    name: "姓名（可选）",
    passwordHint: "至少 {min} 个字符。",
    submitSignIn: "登录",
    submitSignUp: "创建账户",
    submitting: "请稍候…",
    orGithub: "使用 GitHub 继续",
    noAccount: "还没有账户？",
    haveAccount: "已有账户？",
    firstUserAdmin: "新安装上创建的第一个账户将成为管理员。",
    errors: {
      invalid_email: "请输入有效的邮箱地址。",
      password_too_short: "密码至少需要 {min} 个字符。",
      password_too_long: "密码太长。",
      name_too_long: "姓名太长。",
      email_taken: "该邮箱已注册。",
      invalid_credentials: "邮箱或密码错误。",
      throttled: "失败次数过多，请几分钟后再试。",
      disabled: "该账户已被停用。",
      generic: "出错了，请重试。",
    },
  },
  errors: {
    forbiddenTitle: "你无权访问此页面",
    forbiddenBody: "此页面仅供管理员使用。如需访问，请联系本 Pareto 实例的管理员。",
    notFoundTitle: "页面不存在",
    notFoundBody: "此地址没有内容。",
    backHome: "返回首页",
    errorTitle: "出错了",
    errorBody: "页面无法显示，请稍后重试。",
    retry: "重试",
  },
};

export default zh;

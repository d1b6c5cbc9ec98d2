/**
 * A synthetic SMS spam/ham collection shaped like the public one (~4,500 short messages, ~13 % spam): chatty ham full
 * of abbreviations ("u", "2nite", "ur"), spam with prizes, premium numbers, short codes, £ amounts and T&Cs — and the
 * hard part that keeps real accuracy below 100 %: ham that uses spam words ("are u free 2nite? call me"), spam that
 * reads like a friend ("hi its amy, been trying to reach u, call 09…"), and a little label noise (as in any
 * hand-labelled set). Generated from a seed; no download (none is possible on our machines).
 *
 * `noiseRate` of the rows get the wrong label on purpose, so no classifier can exceed ~(1 − noiseRate) on average.
 */
import { mulberry32, type Rng } from "@/lib/training/random";

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => Math.floor(rng() * 10)).join("");
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

const names = ["john", "amy", "mum", "dad", "sam", "rachel", "tom", "kate", "ben", "lucy", "dave", "jess", "mike", "anna", "chris", "babe", "hun", "dear", "bro", "mate"];
const girls = ["amy", "jess", "kelly", "sara", "tina", "lisa", "nikki", "emma"];
const places = ["home", "work", "the station", "tesco", "the pub", "uni", "the gym", "town", "the library", "ur place", "the bus stop", "starbucks", "the cinema", "class"];
const times = ["5", "6", "7.30", "8", "half 9", "10", "noon", "lunch", "tmr", "2nite", "later", "sat", "sun", "mon", "after work", "this eve"];
const foods = ["milk", "bread", "pizza", "chips", "eggs", "curry", "beer", "wine", "coffee", "cake", "dinner"];
const feelings = ["tired", "bored", "sick", "happy", "stressed", "knackered", "fine", "gd", "ok", "alright"];
const shows = ["the match", "eastenders", "the film", "that show", "the game", "the news"];
const activities = ["go out", "meet up", "grab food", "watch a film", "get a drink", "study", "go shopping", "play pool", "chill"];
const hamTemplates: ((r: Rng) => string)[] = [
  (r) => `hey ${pick(r, names)} where r u?`,
  (r) => `ok i'll see u at ${pick(r, places)} at ${pick(r, times)}`,
  () => `sorry, i'll call later`,
  (r) => `can u pick up some ${pick(r, foods)} on the way ${pick(r, ["home", "back", "over"])}?`,
  (r) => `im at ${pick(r, places)}, ${pick(r, ["wat abt u?", "come join", "be there in 10", "running late", "where r u"])}`,
  (r) => `${pick(r, ["lol", "haha", "hahaha", "lmao", "omg"])} ${pick(r, ["that's so funny", "u r mad", "no way", "i know right", "cant believe it", "ur joking"])}`,
  (r) => `are u ${pick(r, ["free", "around", "busy", "home"])} ${pick(r, times)}? wanna ${pick(r, activities)}?`,
  (r) => `happy birthday ${pick(r, names)}! ${pick(r, ["have a gr8 day", "hope u have fun", "love u lots", "see u 2nite x"])}`,
  (r) => `i'm so ${pick(r, feelings)} today. ${pick(r, ["going to bed early", "need a holiday", "work was long", "just want to sleep", "what a day"])}`,
  (r) => `did u watch ${pick(r, shows)} ${pick(r, ["last night", "yest", "2day"])}? ${pick(r, ["it was gr8", "so boring", "what a finish", "cant believe it ended like that"])}`,
  (r) => `k ${pick(r, ["thx", "cool", "fine", "no probs", "see u"])}`,
  () => `ok lar... joking wif u oni...`,
  (r) => `${pick(r, ["mum", "dad"])} says ${pick(r, ["dinner's at", "come home by", "call her at"])} ${pick(r, times)}`,
  (r) => `i'll be ${pick(r, ["late", "there soon", "10 mins", "on the next bus", "home by " + pick(r, times)])}. ${pick(r, ["sorry!", "save me a seat", "start without me", ""])}`,
  (r) => `wat time r u ${pick(r, ["coming", "finishing", "leaving", "back"])}?`,
  (r) => `thanks for ${pick(r, ["yesterday", "the lift", "dinner", "the present", "helping me"])}, ${pick(r, ["really appreciate it", "u r a star", "owe u one", "it was lovely"])}`,
  (r) => `${pick(r, ["i miss u", "love u", "thinking of u", "cant wait 2 c u"])} ${pick(r, ["x", "xx", ":)", "<3", ""])}`,
  (r) => `have u ${pick(r, ["finished", "started", "done"])} the ${pick(r, ["essay", "report", "homework", "project", "assignment"])} yet?`,
  (r) => `${pick(r, ["no", "yeah", "yes", "nah", "maybe"])}, ${pick(r, ["i don't think so", "sounds good", "let me check", "why not", "ask " + pick(r, names)])}`,
  (r) => `the ${pick(r, ["train", "bus", "meeting", "lecture", "class"])} is ${pick(r, ["cancelled", "delayed", "at " + pick(r, times), "full"])}, ${pick(r, ["ugh", "great", "typical", "so annoying"])}`,
  (r) => `${pick(r, ["good morning", "morning", "gd nite", "night night", "sweet dreams"])} ${pick(r, names)} ${pick(r, ["x", ":)", "", "sleep well"])}`,
  (r) => `just got ${pick(r, ["home", "back", "in", "ur msg"])}. ${pick(r, ["what's up?", "call me when u can", "u ok?", "how was it?"])}`,
];
// Ham that borrows spam's words: why a bag of "free", "call", "win", "text" cannot be the whole model.
const hardHam: ((r: Rng) => string)[] = [
  (r) => `r u free ${pick(r, times)}? call me`,
  (r) => `we won ${pick(r, ["the match", "the quiz", "2-1", "again"])}! ${pick(r, ["drinks on me", "so happy", "what a game"])}`,
  (r) => `text me when u get ${pick(r, ["home", "there", "in"])}`,
  (r) => `call me on my mobile, my home phone is ${pick(r, ["dead", "broken", "off"])}`,
  (r) => `i got a free ${pick(r, foods)} with my order lol`,
  (r) => `did u claim ur ${pick(r, ["expenses", "travel money", "refund"])} yet?`,
  (r) => `the prize for the quiz is a ${pick(r, ["£10 voucher", "bottle of wine", "free meal"])} haha`,
  (r) => `my new number is 07${digits(r, 9)}, save it`,
  (r) => `reply when u can, urgent-ish, ${pick(r, ["need the keys", "mum wants to know", "about 2nite"])}`,
  (r) => `congrats on the new job ${pick(r, names)}!! so proud of u`,
];
const prizes = ["£1000 cash", "£2000 prize", "a brand new nokia", "a sony camcorder", "a holiday to spain", "£500 tesco voucher", "an ipod", "a free mobile", "2 cinema tickets", "£5000"];
const spamTemplates: ((r: Rng) => string)[] = [
  (r) => `${pick(r, ["URGENT!", "Congratulations!", "WINNER!!", "Urgent!"])} You have won ${pick(r, prizes)}! Call 09${digits(r, 9)} to claim. ${tcs(r)}`,
  (r) => `Free entry in 2 a wkly comp to win ${pick(r, ["FA Cup final tkts", "a holiday", "£1000"])} ${pick(r, ["21st May 2005", "this week", ""])}. Text ${pick(r, ["FA", "WIN", "ENTRY", "GO"])} to ${digits(r, 5)} to receive entry question(std txt rate)T&C's apply`,
  (r) => `Congratulations ur awarded ${pick(r, ["£500", "£1000", "£2000"])} of CD vouchers or 125gift guaranteed & Free entry 2 100 wkly draw txt MUSIC to ${digits(r, 5)}`,
  (r) => `You have 1 new ${pick(r, ["voicemail", "message", "picture message"])}. Please call 09${digits(r, 9)}${pick(r, ["", " now", " to collect"])}`,
  (r) => `Your mobile number has won ${pick(r, ["£2000", "£5000", "a bonus"])}! To claim txt ${pick(r, ["CLAIM", "WIN", "YES"])} to ${digits(r, 5)}. ${cost(r)}`,
  (r) => `SIX chances to win CASH! From 100 to 20,000 pounds txt> CSH11 and send to ${digits(r, 5)} Cost 150p/day, 6days, 16+ TsandCs apply Reply HL 4 info`,
  (r) => `Had your mobile 11 months or more? U R entitled to Update to the latest colour mobiles with camera for Free! Call The Mobile Update Co FREE on 0800${digits(r, 7)}`,
  (r) => `Get the latest ${pick(r, ["ringtones", "polyphonic tones", "games", "wallpapers"])}! Txt ${pick(r, ["TONE", "GAME", "POLY"])} to ${digits(r, 5)} ${cost(r)}`,
  (r) => `${pick(r, ["Hey", "Hi"])} ${pick(r, ["sexy", "there", "handsome"])}, I'm ${pick(r, girls)} ${int(r, 19, 29)}, wanna chat? Txt ${pick(r, ["CHAT", "DATE", "MEET"])} to ${digits(r, 5)} ${cost(r)}`,
  (r) => `Your ${pick(r, ["account", "mobile", "number"])} ${pick(r, ["has been selected", "is eligible"])} for a ${pick(r, prizes)}. Visit www.${pick(r, ["win", "claim", "prize", "txt"])}${pick(r, ["now", "4u", "zone", "direct"])}.${pick(r, ["com", "co.uk", "net"])} ${tcs(r)}`,
  (r) => `December only! Had your mobile 11mths+? You are entitled to update to the latest colour camera mobile for Free! Call 0800${digits(r, 7)}`,
  (r) => `PRIVATE! Your ${int(r, 2003, 2005)} Account Statement for ${digits(r, 11)} shows ${int(r, 700, 900)} un-redeemed S.I.M. points. Call 08${digits(r, 9)} Identifier Code: ${digits(r, 5)} Expires ${int(r, 1, 28)}/${int(r, 1, 12)}/0${int(r, 4, 6)}`,
  (r) => `FREE MESSAGE: ${pick(r, ["Activate your 500 FREE Text Messages", "You have a FREE gift waiting", "Claim ur FREE ringtone"])} by replying to this message with the word FREE ${tcs(r)}`,
  (r) => `Thanks for your subscription to ${pick(r, ["Ringtone UK", "Games Club", "Mobile Club"])} your mobile will be charged £5/month. Please confirm by replying YES or NO. If you reply NO you will not be charged`,
];
// Spam that reads like a friend: its tells are the premium number or short code.
const hardSpam: ((r: Rng) => string)[] = [
  (r) => `hi its ${pick(r, girls)}, been trying to reach u. call me on 09${digits(r, 9)}`,
  (r) => `hey u! missed u at the party... txt me back on ${digits(r, 5)} x ${pick(r, ["150p/msg", "16+", ""])}`,
  (r) => `Someone has a crush on u! To find out who txt ${pick(r, ["CRUSH", "LOVE"])} to ${digits(r, 5)}`,
  (r) => `ur the lucky one! call 09${digits(r, 9)} b4 midnite`,
];

// Free-form messages: most real messages match no template. Words are drawn Zipf-like (a few common, a long tail
// seen once or twice) from a class's own words mixed with everyday words both classes use, so a classifier must add
// up weak evidence and generalise to tail words it barely saw (character n-grams share "winner"/"winning").
const everyday = ("the a to i you it and is in my me of for that on have be this so but at not with what do just can " +
  "get are if all was now when your go know like got will one no there come time good day back out need one see how " +
  "going want then been think still home today work send new number call text phone reply message week night tomorrow " +
  "morning please thanks sorry ok yes week weekend people cos ask tell said take make give").split(" ");
const chatWords = ("lol haha hey hun babe luv xx gonna wanna dunno tho coz cuz yeah yep nope omg wat wot ur u r 2moro 2day " +
  "2nite gr8 thx ta cya ttyl brb hmm aww bored tired sleepy hungry pub dinner lunch mum dad bro sis bus train class " +
  "lecture exam essay film match footy party pizza chips kebab shopping town uni college boss shift late early nap " +
  "miss love hug kiss sweet cute funny mad crazy weird annoyed stressed chilled bed shower ready soon later mate").split(" ");
const spamWords = ("free win winner won prize claim cash award awarded guaranteed urgent congratulations selected entitled " +
  "bonus voucher vouchers offer txt mobile tone tones ringtone ringtones subscription subscribe unsubscribe charged " +
  "cost per msg 150p 16+ 18+ t&c t&cs apply customer service network draw entry comp weekly reward rewards holiday " +
  "camera video latest update orange vodafone o2 sms opt-out stop end expires valid code identifier pobox box tariff " +
  "chat dating singles sexy hot pics operator landline delivery collect statement points redeem").split(" ");

function zipf<T>(r: Rng, xs: readonly T[]): T {
  // P(rank k) ∝ 1/k over the list: index = floor(n^u) − 1 approximates it cheaply.
  return xs[Math.min(xs.length - 1, Math.floor(Math.pow(xs.length + 1, r())) - 1)];
}

function freeForm(r: Rng, spam: boolean): string {
  const n = spam ? int(r, 6, 24) : int(r, 2, 16);
  // Each class borrows the other's words now and then (ham says "free" and "txt", spam says "babe" and "tonight").
  const [own, other] = spam ? [spamWords, chatWords] : [chatWords, spamWords];
  const ownRate = spam ? 0.3 : 0.25;
  const otherRate = spam ? 0.08 : 0.04;
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    const u = r();
    words.push(u < ownRate ? zipf(r, own) : u < ownRate + otherRate ? zipf(r, other) : zipf(r, everyday));
  }
  if (spam && r() < 0.6) words.splice(int(r, 0, words.length), 0, r() < 0.5 ? `09${digits(r, 9)}` : digits(r, 5));
  if (spam && r() < 0.3) words.splice(int(r, 0, words.length), 0, `£${pick(r, ["100", "250", "500", "1000", "2000", "1.50", "3"])}`);
  if (!spam && r() < 0.1) words.push(pick(r, ["x", "xx", ":)", ":-)", ";)", "!"]));
  return words.join(" ");
}

function tcs(r: Rng): string {
  return pick(r, ["T&Cs apply.", "18+ only.", "T&C's apply 16+", "TsCs www.smsco.net", "150ppm", "Box 403 LS1 7HW", "£1.50/wk", "std txt rate", "Reply STOP to end", ""]);
}

function cost(r: Rng): string {
  return pick(r, ["150p/msg", "£1.50/week", "Cost 25p", "16+ only", "Msg costs 150p", "STOP to end", "£3/wk", ""]);
}

/** Casual writing: random case, doubled letters, dropped apostrophes — the noise real messages carry. */
function roughen(r: Rng, s: string, spam: boolean): string {
  let out = s;
  if (r() < 0.15) out = out.replace(/'/g, "");
  if (!spam && r() < 0.2) out = out.charAt(0).toUpperCase() + out.slice(1);
  if (spam && r() < 0.25) out = out.toUpperCase();
  if (r() < 0.1) out = out.replace(/\bu\b/g, "you");
  if (r() < 0.1) out = out.replace(/([a-z])\1?\b/, "$1$1$1");
  return out.replace(/\s+/g, " ").trim();
}

export interface SmsOptions {
  n: number;
  seed: number;
  spamRate?: number;
  /** Share of messages from the hard templates (spam words in ham, friendly-looking spam). */
  hardRate?: number;
  /** Share of free-form messages (no template). */
  freeRate?: number;
  noiseRate?: number;
}

export function smsLike({ n, seed, spamRate = 0.134, hardRate = 0.08, freeRate = 0.5, noiseRate = 0.01 }: SmsOptions): { texts: string[]; labels: string[] } {
  const r = mulberry32(seed);
  const texts: string[] = [];
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const spam = r() < spamRate;
    const hard = r() < hardRate;
    const free = r() < freeRate;
    const t = free ? freeForm(r, spam) : spam ? pick(r, hard ? hardSpam : spamTemplates)(r) : pick(r, hard ? hardHam : hamTemplates)(r);
    texts.push(roughen(r, t, spam));
    const flip = r() < noiseRate;
    labels.push(spam !== flip ? "spam" : "ham");
  }
  return { texts, labels };
}

/*
 * send — one message out over libcurl: a 钉钉 group robot (markdown with @ by mobile, signed
 * with timestamp + "\n" + secret under HMAC-SHA256, base64, URL-encoded as `sign`), a 企业微信
 * group robot (markdown, by its webhook key), or e-mail over SMTP (smtps:// is TLS from the
 * start; smtp:// upgrades with STARTTLS, which is required whenever a password is sent; the
 * server's certificate is checked against the system's CAs or the smtp_ca file). The endpoints
 * come from the dingtalk_url / wecom_url settings so tests can point them at loopback
 * receivers. Every request carries the message's dedupe key (X-Duban-Message-Id, the mail's
 * Message-ID) for the receiver to drop a resend. Errors name the platform's errcode and errmsg,
 * never a secret.
 */
#include "notify/notify.h"

#include "base/clock.h"

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

typedef struct {
    char *data;
    size_t n;
} buf;

static size_t on_body(char *p, size_t size, size_t nmemb, void *ctx)
{
    buf *b = ctx;
    size_t k = size * nmemb;
    if (b->n + k > 65536) return 0; /* a robot's answer is small */
    b->data = xrealloc(b->data, b->n + k + 1);
    memcpy(b->data + b->n, p, k);
    b->n += k;
    b->data[b->n] = 0;
    return k;
}

static void base64(const unsigned char *in, size_t n, char *out)
{
    EVP_EncodeBlock((unsigned char *)out, in, (int)n);
}

/* The platform's {"errcode":0,"errmsg":"ok"}: E_OK, else the error in err. */
static err_code check_reply(const char *platform, long status, const buf *b, char *err,
                            size_t errlen)
{
    if (status != 200) {
        snprintf(err, errlen, "%s 返回 HTTP %ld：%.200s", platform, status, b->data ? b->data : "");
        return E_BUSY;
    }
    json_error_t jerr;
    json_t *j = b->data ? json_loads(b->data, 0, &jerr) : NULL;
    json_t *code = json_object_get(j, "errcode");
    if (!json_is_integer(code)) {
        snprintf(err, errlen, "%s 的答复无法识别：%.200s", platform, b->data ? b->data : "");
        json_decref(j);
        return E_BUSY;
    }
    err_code e = E_OK;
    if (json_integer_value(code) != 0) {
        const char *msg = json_string_value(json_object_get(j, "errmsg"));
        snprintf(err, errlen, "%s 拒绝：errcode %lld，%s", platform,
                 (long long)json_integer_value(code), msg ? msg : "");
        e = E_BUSY;
    }
    json_decref(j);
    return e;
}

static err_code post_json(const char *platform, const char *url, const char *dedupe, json_t *body,
                          char *err, size_t errlen)
{
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(err, errlen, "cannot start libcurl");
        return E_INTERNAL;
    }
    char *text = json_dumps(body, JSON_COMPACT);
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
    char idh[300];
    snprintf(idh, sizeof idh, "X-Duban-Message-Id: %s", dedupe);
    h = curl_slist_append(h, idh);
    buf b = {0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, text);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode rc = curl_easy_perform(c);
    err_code e;
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "%s 无法送达：%s", platform, curl_easy_strerror(rc));
        e = E_BUSY;
    } else {
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        e = check_reply(platform, status, &b, err, errlen);
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    free(text);
    free(b.data);
    return e;
}

static char *url_escape(const char *s)
{
    CURL *c = curl_easy_init();
    char *x = curl_easy_escape(c, s, 0);
    char *out = xstrdup(x ? x : "");
    curl_free(x);
    curl_easy_cleanup(c);
    return out;
}

static err_code send_dingtalk(const notify_channel *ch, const char *secret, const notify_message *m,
                              char *err, size_t errlen)
{
    const config *cfg = notify_config();
    char *token = url_escape(ch->target);
    char *url = xasprintf("%s?access_token=%s", cfg->dingtalk_url, token);
    free(token);
    if (secret && *secret) {
        long long ts = (long long)clock_now() * 1000;
        char *plain = xasprintf("%lld\n%s", ts, secret);
        unsigned char mac[32];
        unsigned int len = 32;
        HMAC(EVP_sha256(), secret, (int)strlen(secret), (unsigned char *)plain, strlen(plain), mac,
             &len);
        notify_wipe_free(plain);
        char b64[64];
        base64(mac, 32, b64);
        char *sign = url_escape(b64);
        char *signed_url = xasprintf("%s&timestamp=%lld&sign=%s", url, ts, sign);
        free(sign);
        free(url);
        url = signed_url;
    }
    json_t *mobiles = json_array();
    if (m->mention && *m->mention) {
        char *copy = xstrdup(m->mention), *save = NULL;
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
            json_array_append_new(mobiles, json_string(t));
        free(copy);
    }
    json_t *body = json_pack("{ss s{ss ss} s{so sb}}", "msgtype", "markdown", "markdown", "title",
                             m->title, "text", m->body, "at", "atMobiles", mobiles, "isAtAll", 0);
    err_code e = body ? post_json("钉钉", url, m->dedupe, body, err, errlen) : E_INTERNAL;
    json_decref(body);
    free(url);
    return e;
}

static err_code send_wecom(const char *secret, const notify_message *m, char *err, size_t errlen)
{
    const config *cfg = notify_config();
    if (!secret || !*secret) {
        snprintf(err, errlen, "企业微信机器人未配置 webhook key");
        return E_FIELD_REQUIRED;
    }
    char *key = url_escape(secret);
    char *url = xasprintf("%s?key=%s", cfg->wecom_url, key);
    notify_wipe_free(key);
    json_t *body = json_pack("{ss s{ss}}", "msgtype", "markdown", "markdown", "content", m->body);
    err_code e = body ? post_json("企业微信", url, m->dedupe, body, err, errlen) : E_INTERNAL;
    json_decref(body);
    notify_wipe_free(url);
    return e;
}

typedef struct {
    const char *data;
    size_t n, at;
} reader;

static size_t on_read(char *p, size_t size, size_t nmemb, void *ctx)
{
    reader *r = ctx;
    size_t k = size * nmemb;
    if (k > r->n - r->at) k = r->n - r->at;
    memcpy(p, r->data + r->at, k);
    r->at += k;
    return k;
}

static err_code send_email(const notify_channel *ch, const char *secret, const notify_message *m,
                           char *err, size_t errlen)
{
    if (!m->recipient || !*m->recipient) {
        snprintf(err, errlen, "收件人没有电子邮箱");
        return E_FIELD_REQUIRED;
    }
    unsigned char *subj = (unsigned char *)m->title;
    size_t sl = strlen(m->title);
    char *b64 = xmalloc(4 * ((sl + 2) / 3) + 1);
    base64(subj, sl, b64);
    char date[64];
    time_t now = (time_t)clock_now();
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    char *msg = xasprintf("Date: %s\r\nFrom: %s\r\nTo: %s\r\nSubject: =?UTF-8?B?%s?=\r\n"
                          "Message-ID: <%s@duban>\r\nMIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=UTF-8\r\n"
                          "Content-Transfer-Encoding: 8bit\r\n\r\n%s\r\n",
                          date, ch->sender, m->recipient, b64, m->dedupe, m->body);
    free(b64);
    CURL *c = curl_easy_init();
    if (!c) {
        free(msg);
        snprintf(err, errlen, "cannot start libcurl");
        return E_INTERNAL;
    }
    char *from = xasprintf("<%s>", ch->sender);
    char *to = xasprintf("<%s>", m->recipient);
    struct curl_slist *rcpt = curl_slist_append(NULL, to);
    reader rd = {msg, strlen(msg), 0};
    curl_easy_setopt(c, CURLOPT_URL, ch->target);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    /* smtp://: STARTTLS, required when a password is to be sent (never in clear); an open
     * relay without a password may answer in clear when it offers no STARTTLS */
    int with_password = secret && *secret;
    if (strncmp(ch->target, "smtp://", 7) == 0)
        curl_easy_setopt(c, CURLOPT_USE_SSL,
                         with_password ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
    const config *cfg = notify_config();
    if (cfg->smtp_ca && *cfg->smtp_ca) curl_easy_setopt(c, CURLOPT_CAINFO, cfg->smtp_ca);
    if (with_password) {
        curl_easy_setopt(c, CURLOPT_USERNAME, ch->sender);
        curl_easy_setopt(c, CURLOPT_PASSWORD, secret);
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(c, CURLOPT_READDATA, &rd);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    CURLcode rc = curl_easy_perform(c);
    err_code e = E_OK;
    if (rc == CURLE_USE_SSL_FAILED) {
        snprintf(err, errlen,
                 "邮件服务器不支持 STARTTLS，密码不以明文发送：请改用支持加密的端口"
                 "（smtps:// 或 STARTTLS）");
        e = E_BUSY;
    } else if (rc != CURLE_OK) {
        long code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        snprintf(err, errlen, "邮件服务器拒绝或无法连接（%ld）：%s", code, curl_easy_strerror(rc));
        e = E_BUSY;
    }
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    free(from);
    free(to);
    free(msg);
    return e;
}

err_code notify_send(const notify_channel *c, const notify_message *m, char *err, size_t errlen)
{
    pthread_once(&curl_once, curl_init);
    char *secret = c->has_secret ? notify_unseal(c->secret, c->secret_len) : NULL;
    if (c->has_secret && !secret) {
        snprintf(err, errlen, "渠道密钥无法解密（密钥文件已更换？），请重新填写");
        return E_INTERNAL;
    }
    err_code e;
    if (strcmp(c->kind, "dingtalk") == 0)
        e = send_dingtalk(c, secret, m, err, errlen);
    else if (strcmp(c->kind, "wecom") == 0)
        e = send_wecom(secret, m, err, errlen);
    else
        e = send_email(c, secret, m, err, errlen);
    notify_wipe_free(secret);
    return e;
}

/*
 * hello — the HTTP ceiling for `make bench`: libmicrohttpd with exactly the daemon flags and
 * thread-pool size that `duban serve` uses (src/http/server.c, http_start), answering every
 * request with the constant 13 bytes "Hello, World!". What duban's /healthz loses against it
 * is the cost of duban's routing, headers, JSON and access log.
 *
 *   hello ADDR:PORT [THREADS]      (THREADS defaults to duban's default, 4)
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct MHD_Response *hello;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *size, void **con_cls)
{
    /* Like duban, answer on the second call, once the request is complete: a reply queued on
     * the first call makes libmicrohttpd close the connection (no keep-alive). */
    static int seen;
    if (!*con_cls) {
        *con_cls = &seen;
        return MHD_YES;
    }
    return MHD_queue_response(conn, MHD_HTTP_OK, hello);
}

static volatile sig_atomic_t stop;
static void on_signal(int sig) { stop = 1; }

int main(int argc, char **argv)
{
    if (argc < 2 || !strchr(argv[1], ':')) {
        fprintf(stderr, "usage: hello ADDR:PORT [THREADS]\n");
        return 2;
    }
    struct sockaddr_in sa = {.sin_family = AF_INET};
    char host[64];
    snprintf(host, sizeof host, "%.*s", (int)(strchr(argv[1], ':') - argv[1]), argv[1]);
    sa.sin_port = htons((uint16_t)atoi(strchr(argv[1], ':') + 1));
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) return 2;
    unsigned threads = argc > 2 ? (unsigned)atoi(argv[2]) : 4;
    hello = MHD_create_response_from_buffer(13, (void *)"Hello, World!", MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(hello, "Content-Type", "text/plain");
    /* The same flags and options as http_start in src/http/server.c. */
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_CONNECTION_TIMEOUT, 120u,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "hello: cannot listen on %s\n", argv[1]);
        return 1;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    while (!stop) pause();
    MHD_stop_daemon(d);
    MHD_destroy_response(hello);
    return 0;
}

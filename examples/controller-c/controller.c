/*
 * A QNetLab controller program in C: swap-ASAP with a fixed memory cutoff.
 *
 * It speaks only scheduler.proto (docs/controller-protocol.md) over libzmq, with the message
 * code protoc-c generates (libprotobuf-c): a DEALER socket connected to the coordinator's
 * controller endpoint, a ControllerHello, then one DecisionReply per ObservationEvent until
 * ControllerStop. Its decisions are those of the built-in `swap: asap` and `cutoff: DURATION`
 * (QNetScheduling: SwapASAP, FixedCutoff), so a run with the same seed gives the same pairs.
 *
 * Usage: controller --connect ENDPOINT [--cutoff-ps PS]
 * (without --cutoff-ps, the scenario's policies.cutoff from ControllerStart is used).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "qnet/v1/scheduler.pb-c.h"

typedef Qnet__V1__ControllerFrame Frame;

/* Sends one frame; returns 0 on success. */
static int send_frame(void *socket, const Frame *frame) {
    size_t size = qnet__v1__controller_frame__get_packed_size(frame);
    uint8_t *bytes = malloc(size ? size : 1);
    if (!bytes) return -1;
    qnet__v1__controller_frame__pack(frame, bytes);
    int rc = zmq_send(socket, bytes, size, 0);
    free(bytes);
    return rc < 0 ? -1 : 0;
}

/* Swap-ASAP: for each request (in id order) with both a left and a right link here, the oldest
 * idle pair on each side. Returns 1 and sets *left, *right when there is one. */
static int swap_now(const Qnet__V1__NodeView *view, uint64_t *left, uint64_t *right) {
    uint32_t done_below = 0;
    for (;;) {
        /* The next request id at or above done_below (places come in id order; sorted here anyway). */
        const Qnet__V1__RequestPlace *place = NULL;
        for (size_t i = 0; i < view->n_places; i++) {
            const Qnet__V1__RequestPlace *p = view->places[i];
            if (p->request >= done_below && (!place || p->request < place->request)) place = p;
        }
        if (!place) return 0;
        done_below = place->request + 1;
        if (!place->left_link || !place->right_link) continue;
        const Qnet__V1__StoredLink *l = NULL, *r = NULL;
        for (size_t i = 0; i < view->n_idle; i++) {
            const Qnet__V1__StoredLink *s = view->idle[i];
            if (s->request != place->request) continue;
            if (!l && s->link == place->left_link->id) l = s;
            if (!r && s->link == place->right_link->id) r = s;
        }
        if (l && r) {
            *left = l->qubit;
            *right = r->qubit;
            return 1;
        }
        if (place->request == UINT32_MAX) return 0;
    }
}

int main(int argc, char **argv) {
    const char *endpoint = NULL;
    int have_cutoff = 0;
    uint64_t cutoff_ps = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--connect") && i + 1 < argc) {
            endpoint = argv[++i];
        } else if (!strcmp(argv[i], "--cutoff-ps") && i + 1 < argc) {
            char *end;
            errno = 0;
            cutoff_ps = strtoull(argv[++i], &end, 10);
            if (errno || *end) { fprintf(stderr, "controller: --cutoff-ps takes picoseconds, got %s\n", argv[i]); return 64; }
            have_cutoff = 1;
        } else {
            fprintf(stderr, "usage: controller --connect ENDPOINT [--cutoff-ps PS]\n");
            return 64;
        }
    }
    if (!endpoint) { fprintf(stderr, "usage: controller --connect ENDPOINT [--cutoff-ps PS]\n"); return 64; }

    void *context = zmq_ctx_new();
    void *socket = zmq_socket(context, ZMQ_DEALER);
    int linger = 200;
    zmq_setsockopt(socket, ZMQ_LINGER, &linger, sizeof linger);
    if (zmq_connect(socket, endpoint) != 0) {
        fprintf(stderr, "controller: cannot connect to %s: %s\n", endpoint, zmq_strerror(zmq_errno()));
        return 1;
    }

    Qnet__V1__ControllerHello hello = QNET__V1__CONTROLLER_HELLO__INIT;
    hello.version = 2;
    hello.name = "controller-c swap-asap";
    Frame out = QNET__V1__CONTROLLER_FRAME__INIT;
    out.body_case = QNET__V1__CONTROLLER_FRAME__BODY_HELLO;
    out.hello = &hello;
    if (send_frame(socket, &out) != 0) { fprintf(stderr, "controller: cannot send hello\n"); return 1; }

    uint64_t answered = 0;
    int status = 1;
    for (;;) {
        zmq_pollitem_t item = { socket, 0, ZMQ_POLLIN, 0 };
        int ready = zmq_poll(&item, 1, 60000);
        if (ready <= 0) { fprintf(stderr, "controller: no frame from the coordinator for 60 s; exiting\n"); break; }
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        if (zmq_msg_recv(&msg, socket, 0) < 0) { zmq_msg_close(&msg); break; }
        Frame *frame = qnet__v1__controller_frame__unpack(NULL, zmq_msg_size(&msg), zmq_msg_data(&msg));
        zmq_msg_close(&msg);
        if (!frame) { fprintf(stderr, "controller: dropped a frame that does not decode\n"); continue; }

        if (frame->body_case == QNET__V1__CONTROLLER_FRAME__BODY_START) {
            /* Swap-ASAP with a fixed cutoff only: any other policy is declined with a stop frame. */
            const char *swap = frame->start->swap ? frame->start->swap : "";
            int other_swap = strcmp(swap, "asap") && strcmp(swap, "none");
            if (other_swap || frame->start->cutoff_budget_ps || frame->start->decides_generation || frame->start->decides_routing) {
                /* Every unsupported setting named, joined with "and" (as controller.py says it). */
                char swap_part[80], reason[320];
                const char *parts[4];
                int k = 0;
                if (other_swap) {
                    snprintf(swap_part, sizeof swap_part, "policies.swap %.60s", swap);
                    parts[k++] = swap_part;
                }
                if (frame->start->cutoff_budget_ps) parts[k++] = "policies.cutoff { budget }";
                if (frame->start->decides_generation) parts[k++] = "policies.generationPlacement: controller";
                if (frame->start->decides_routing) parts[k++] = "policies.routingPlacement: controller";
                int n = snprintf(reason, sizeof reason, "controller (C) implements swap asap with a fixed cutoff, not");
                for (int i = 0; i < k && n > 0 && (size_t)n < sizeof reason; i++) {
                    n += snprintf(reason + n, sizeof reason - (size_t)n, "%s%s", i ? " and " : " ", parts[i]);
                }
                Qnet__V1__ControllerStop stop = QNET__V1__CONTROLLER_STOP__INIT;
                stop.reason = reason;
                Frame out = QNET__V1__CONTROLLER_FRAME__INIT;
                out.body_case = QNET__V1__CONTROLLER_FRAME__BODY_STOP;
                out.stop = &stop;
                send_frame(socket, &out);
                fprintf(stderr, "controller: %s\n", reason);
                qnet__v1__controller_frame__free_unpacked(frame, NULL);
                status = 2;
                break;
            }
            if (!have_cutoff) cutoff_ps = frame->start->cutoff_ps;
            fprintf(stderr, "controller: run %s, %zu nodes, cutoff %" PRIu64 " ps\n", frame->start->run_id, frame->start->n_nodes, cutoff_ps);
        } else if (frame->body_case == QNET__V1__CONTROLLER_FRAME__BODY_OBSERVATION) {
            const Qnet__V1__ObservationEvent *event = frame->observation;
            const Qnet__V1__Observation *o = event->observation;
            Qnet__V1__Decision decisions[2] = { QNET__V1__DECISION__INIT, QNET__V1__DECISION__INIT };
            Qnet__V1__Decision *list[2];
            Qnet__V1__Discard discard = QNET__V1__DISCARD__INIT;
            Qnet__V1__Swap swap = QNET__V1__SWAP__INIT;
            size_t n = 0;
            Qnet__V1__Observation__KindCase kind = o ? o->kind_case : QNET__V1__OBSERVATION__KIND__NOT_SET;
            if (kind == QNET__V1__OBSERVATION__KIND_LINK_PAIR_STORED && cutoff_ps) {
                const Qnet__V1__StoredLink *stored = o->link_pair_stored;
                discard.qubit = stored->qubit;
                discard.at_ps = stored->created_ps > UINT64_MAX - cutoff_ps ? UINT64_MAX : stored->created_ps + cutoff_ps;
                decisions[n].kind_case = QNET__V1__DECISION__KIND_DISCARD;
                decisions[n].discard = &discard;
                list[n] = &decisions[n];
                n++;
            }
            if ((kind == QNET__V1__OBSERVATION__KIND_LINK_PAIR_STORED || kind == QNET__V1__OBSERVATION__KIND_PAIR_EXTENDED ||
                 kind == QNET__V1__OBSERVATION__KIND_PAIR_GONE) && event->view &&
                swap_now(event->view, &swap.left, &swap.right)) {
                decisions[n].kind_case = QNET__V1__DECISION__KIND_SWAP;
                decisions[n].swap = &swap;
                list[n] = &decisions[n];
                n++;
            }
            Qnet__V1__DecisionReply reply = QNET__V1__DECISION_REPLY__INIT;
            reply.id = event->id;
            reply.n_decisions = n;
            reply.decisions = list;
            reply.declined = n == 0;
            out.body_case = QNET__V1__CONTROLLER_FRAME__BODY_REPLY;
            out.reply = &reply;
            int rc = send_frame(socket, &out);
            qnet__v1__controller_frame__free_unpacked(frame, NULL);
            if (rc != 0) { fprintf(stderr, "controller: cannot send a reply\n"); break; }
            answered++;
            continue;
        } else if (frame->body_case == QNET__V1__CONTROLLER_FRAME__BODY_STOP) {
            fprintf(stderr, "controller: stop (%s) after %" PRIu64 " observations\n", frame->stop->reason, answered);
            qnet__v1__controller_frame__free_unpacked(frame, NULL);
            status = 0;
            break;
        }
        qnet__v1__controller_frame__free_unpacked(frame, NULL);
    }
    zmq_close(socket);
    zmq_ctx_term(context);
    return status;
}

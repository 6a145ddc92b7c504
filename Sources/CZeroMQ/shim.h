#ifndef QNET_CZEROMQ_SHIM_H
#define QNET_CZEROMQ_SHIM_H
#include <errno.h>
#include <zmq.h>

/*
 * libzmq reports errors through errno values, some of which it defines itself
 * (ZMQ_HAUSNUMERO + n) when the platform lacks them. These constants give
 * Swift one spelling for each value QNetZMQ names, whatever the platform.
 */
enum {
    QNET_ZMQ_EINTR = EINTR,
    QNET_ZMQ_EAGAIN = EAGAIN,
    QNET_ZMQ_EINVAL = EINVAL,
    QNET_ZMQ_ENOENT = ENOENT,
    QNET_ZMQ_ENODEV = ENODEV,
    QNET_ZMQ_EFAULT = EFAULT,
    QNET_ZMQ_ETERM = ETERM,
    QNET_ZMQ_EFSM = EFSM,
    QNET_ZMQ_ENOTSOCK = ENOTSOCK,
    QNET_ZMQ_EMSGSIZE = EMSGSIZE,
    QNET_ZMQ_EHOSTUNREACH = EHOSTUNREACH,
    QNET_ZMQ_EADDRINUSE = EADDRINUSE,
    QNET_ZMQ_EADDRNOTAVAIL = EADDRNOTAVAIL,
    QNET_ZMQ_EPROTONOSUPPORT = EPROTONOSUPPORT,
    QNET_ZMQ_ENOTSUP = ENOTSUP,
    QNET_ZMQ_EMTHREAD = EMTHREAD
};

#endif

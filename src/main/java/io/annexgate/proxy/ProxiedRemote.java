package io.annexgate.proxy;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.service.ServedState;

/** A uuid a served repository ({@code via}) proxies for: its remote {@code name} and how to reach it. */
record ProxiedRemote(AnnexUuid uuid, String name, ServedState via, RemoteRoute route) {

    static ProxiedRemote unreachable(AnnexUuid uuid, String name, ServedState via, String reason) {
        return new ProxiedRemote(uuid, name, via, new RemoteRoute.Unreachable(reason));
    }
}

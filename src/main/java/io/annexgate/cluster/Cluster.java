package io.annexgate.cluster;

import io.annexgate.protocol.AnnexUuid;
import io.annexgate.service.ServedState;
import java.util.List;

/**
 * A cluster a served repository ({@code gateway}) is a gateway for: git config
 * {@code annex.cluster.NAME=UUID}, its nodes the remotes with {@code annex-cluster-node=NAME}.
 */
record Cluster(AnnexUuid uuid, String name, ServedState gateway, List<AnnexUuid> nodes) { }

"""Fixtures for the probe tests: a test PKI (trustme) and files for servers to load."""

from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme
from probe_servers import server_context, write_chain


@dataclass
class PKI:
    root: trustme.CA
    intermediate: trustme.CA
    directory: Path

    @property
    def root_file(self) -> str:
        path = self.directory / "root.pem"
        if not path.exists():
            self.root.cert_pem.write_to_path(str(path))
        return str(path)

    def context(self, name: str, leaf: trustme.LeafCert, send: str = "chain"):
        """A server context sending the leaf only ('leaf'), the leaf and its intermediates
        ('chain'), or those and the root as well ('full')."""
        pems = [p.bytes() for p in leaf.cert_chain_pems]
        if send == "leaf":
            pems = pems[:1]
        elif send == "full":
            pems.append(self.root.cert_pem.bytes())
        return server_context(write_chain(self.directory, name, pems,
                                          leaf.private_key_pem.bytes()))


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    root = trustme.CA()
    return PKI(root, root.create_child_ca(), tmp_path_factory.mktemp("pki"))

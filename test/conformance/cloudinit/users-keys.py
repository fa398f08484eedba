"""Which guest user receives which SSH key, decided by cloud-init's own code.

For every VirtualMachine and VirtualMachinePool in the given manifests
(files or directories of YAML streams), this collects what KubeVirt hands
to cloud-init:

- the user data: inline (userData, userDataBase64) or from the Secret the
  cloudInitNoCloud / cloudInitConfigDrive volume names (key `userdata` or
  `userData`, as KubeVirt reads it);
- the meta-data `public-keys`: every value of every Secret an
  accessCredentials sshPublicKey with the noCloud or configDrive
  propagation method names.

It then runs the installed cloud-init as a library: the user-data
cloud-config is merged over the image's system config with
`util.mergemanydict`, `cc_users_groups.handle` creates the users (through
a distro object whose account commands are stubbed), and the key placement
of `cc_ssh` (`ug_util.normalize_users_groups`, `ug_util.extract_default`,
`cc_ssh.apply_credentials`) decides where the keys go. Every call to
`ssh_util.setup_user_keys` is recorded instead of writing files.

With --each-file, every file is checked as the output of an app of its own
(its Secrets are looked up in that file only); otherwise all files together
are one app (cdk8s writes a file per chart).

Prints one line per VM and a count line; exits 1 when a key reaches no
user who can log in with it (root behind cloud-init's forced "login as"
command does not count), 2 on bad input.

Run it with the Python that runs cloud-init (users-keys.sh finds it).
"""

import base64
import binascii
import copy
import inspect
import json
import logging
import os
import re
import sys

import yaml

from cloudinit import distros, helpers, sources, ssh_util, util
from cloudinit import version as ci_version
from cloudinit.config import cc_ssh, cc_users_groups
from cloudinit.distros import ug_util

LOG = logging.getLogger("users-keys")

# What the distribution images' /etc/cloud/cloud.cfg says (the parts that
# matter here): the distro, its default user, and users: [default].
DISTROS = [
    ("fedora", "fedora", "fedora"),
    ("centos", "rhel", "cloud-user"),
    ("rhel", "rhel", "cloud-user"),
    ("ubuntu", "ubuntu", "ubuntu"),
    ("debian", "debian", "debian"),
    ("opensuse", "opensuse", "opensuse"),
]
FALLBACK = ("fedora", "fedora", "fedora")


def load_docs(paths):
    docs = []
    for p in paths:
        files = []
        if os.path.isdir(p):
            for root, _dirs, names in os.walk(p):
                files += [os.path.join(root, n) for n in sorted(names) if n.endswith((".yaml", ".yml"))]
        else:
            files.append(p)
        for f in sorted(files):
            with open(f, encoding="utf-8") as fh:
                for d in yaml.safe_load_all(fh):
                    if isinstance(d, dict):
                        docs.append((f, d))
    return docs


def secret_values(doc):
    out = {}
    for k, v in (doc.get("data") or {}).items():
        try:
            out[k] = base64.b64decode(v).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            out[k] = None
    for k, v in (doc.get("stringData") or {}).items():
        out[k] = v
    return out


def guess_distro(vm_doc):
    text = json.dumps(vm_doc).lower()
    if "windows" in text:
        return None
    for word, distro, user in DISTROS:
        if word in text:
            return (word, distro, user)
    return FALLBACK


class Recorder:
    """Stands in for the account commands; records key placement."""

    def __init__(self):
        self.placements = []  # (user, keys, options)
        self.created = []

    def setup_user_keys(self, keys, username, options=None):
        self.placements.append((username, sorted(set(keys)), options or ""))


class FakeCloud:
    def __init__(self, distro, public_keys):
        self.distro = distro
        self._keys = public_keys

    def get_public_ssh_keys(self):
        return sources.normalize_pubkey_data(self._keys)


def make_distro(distro_name, user, recorder):
    cls = distros.fetch(distro_name)
    sys_cfg = {
        "default_user": {
            "name": user,
            "lock_passwd": True,
            "groups": ["wheel", "adm"],
            "sudo": ["ALL=(ALL) NOPASSWD:ALL"],
            "shell": "/bin/bash",
        },
    }
    d = cls(distro_name, sys_cfg, helpers.Paths({}))
    d.add_user = lambda name, **kw: recorder.created.append(name)
    d.add_snap_user = lambda name, **kw: recorder.created.append(name)
    d.lock_passwd = lambda name: None
    d.set_passwd = lambda *a, **kw: None
    d.write_sudo_rules = lambda *a, **kw: None
    d.create_group = lambda *a, **kw: None
    return d


def call_handle(module, name, cfg, cloud):
    params = list(inspect.signature(module.handle).parameters)
    if "log" in params:
        return module.handle(name, cfg, cloud, LOG, [])
    return module.handle(name, cfg, cloud, [])


def run_cloud_init(user_cfg, public_keys, distro_name, default_user):
    """Returns (placements, users, default user) as cloud-init decides them."""
    recorder = Recorder()
    saved = ssh_util.setup_user_keys
    ssh_util.setup_user_keys = recorder.setup_user_keys
    try:
        distro = make_distro(distro_name, default_user, recorder)
        system_cfg = {"users": ["default"], "disable_root": True}
        merged = util.mergemanydict([copy.deepcopy(user_cfg), system_cfg])
        cloud = FakeCloud(distro, public_keys)
        # cloud_init_modules order: users_groups before ssh; like cloud-init,
        # each module gets its own copy of the config
        call_handle(cc_users_groups, "users_groups", copy.deepcopy(merged), cloud)
        # cc_ssh's credential part (its host-key part touches /etc/ssh)
        cfg = copy.deepcopy(merged)
        (users, _groups) = ug_util.normalize_users_groups(cfg, distro)
        (user, _user_config) = ug_util.extract_default(users)
        disable_root = util.get_cfg_option_bool(cfg, "disable_root", True)
        disable_root_opts = util.get_cfg_option_str(cfg, "disable_root_opts", ssh_util.DISABLE_USER_OPTS)
        keys = []
        if util.get_cfg_option_bool(cfg, "allow_public_ssh_keys", True):
            keys = cloud.get_public_ssh_keys() or []
        if "ssh_authorized_keys" in cfg:
            keys.extend(cfg["ssh_authorized_keys"])
        cc_ssh.apply_credentials(keys, user, disable_root, disable_root_opts)
        return recorder.placements, sorted(users), user
    finally:
        ssh_util.setup_user_keys = saved


def key_name(key):
    parts = key.split()
    if len(parts) >= 3:
        return parts[2]
    return "..." + (parts[1][-12:] if len(parts) > 1 else key[-12:])


def wanted_keys(user_cfg, public_keys):
    """Every key the manifests hand to cloud-init, with where it comes from."""
    out = [(k, "sshKeys/public-keys") for k in sources.normalize_pubkey_data(public_keys)]
    for k in user_cfg.get("ssh_authorized_keys") or []:
        out.append((k, "ssh_authorized_keys"))
    users = user_cfg.get("users")
    if isinstance(users, list):
        for u in users:
            if isinstance(u, dict):
                ks = u.get("ssh_authorized_keys") or u.get("ssh-authorized-keys") or []
                if isinstance(ks, str):
                    ks = [ks]
                for k in ks:
                    out.append((k, "users[%s]" % u.get("name")))
    return out


def check_vm(ident, vm_doc, template, secrets):
    """Returns (line, failed) for one VM or pool."""
    spec = template.get("spec") or {}
    ns = vm_doc.get("metadata", {}).get("namespace", "")
    public_keys = {}
    count = 0
    for cred in spec.get("accessCredentials") or []:
        ssh = cred.get("sshPublicKey") or {}
        method = ssh.get("propagationMethod") or {}
        if "noCloud" not in method and "configDrive" not in method:
            continue
        name = ((ssh.get("source") or {}).get("secret") or {}).get("secretName")
        values = secrets.get((ns, name))
        if values is None:
            return "%s: key Secret %s/%s is not in the manifests: not checked" % (ident, ns, name), False
        for key in sorted(values):
            if values[key]:
                public_keys[str(count)] = values[key]
                count += 1

    source = None
    for vol in spec.get("volumes") or []:
        source = vol.get("cloudInitNoCloud") or vol.get("cloudInitConfigDrive")
        if source is not None:
            break
    if source is None:
        if public_keys:
            return "%s: NO LOGIN: %d key(s) for cloud-init but no cloud-init volume" % (ident, len(public_keys)), True
        return "%s: no cloud-init" % ident, False

    user_data = source.get("userData")
    if user_data is None and source.get("userDataBase64") is not None:
        user_data = base64.b64decode(source["userDataBase64"]).decode("utf-8")
    if user_data is None and source.get("secretRef"):
        name = source["secretRef"].get("name")
        values = secrets.get((ns, name))
        if values is None:
            return "%s: user data Secret %s/%s is not in the manifests: not checked" % (ident, ns, name), False
        user_data = values.get("userdata") or values.get("userData") or ""
    user_data = user_data or ""

    distro = guess_distro(vm_doc)
    if distro is None:
        return "%s: a Windows guest (no cloud-init): not checked" % ident, False
    word, distro_name, default_user = distro

    if user_data.lstrip().startswith("#cloud-config"):
        user_cfg = util.load_yaml(user_data) or {}
        kind = "cloud-config"
    elif user_data.strip() == "":
        user_cfg = {}
        kind = "empty user data"
    else:
        # scripts and archives leave the image's users alone
        user_cfg = {}
        kind = "user data that is not cloud-config"

    placements, users, default = run_cloud_init(user_cfg, public_keys, distro_name, default_user)
    login = {}  # key -> users who can log in with it
    blocked = {}  # key -> (user, what the forced command says) for keys behind one
    for user, keys, options in placements:
        for k in keys:
            if options and "command=" in options:
                said = re.search(r"echo '(.*?)';", options)
                blocked.setdefault(k, []).append("%s: %s" % (user, said.group(1).replace('\\"', '"') if said else options))
            else:
                login.setdefault(k, []).append(user)

    wanted = wanted_keys(user_cfg, public_keys)
    parts = []
    failed = False
    for key, origin in wanted:
        who = sorted(set(login.get(key, [])))
        if who:
            parts.append("%s (%s) -> %s" % (key_name(key), origin, ", ".join(who)))
        else:
            failed = True
            behind = sorted(set(blocked.get(key, [])))
            where = " (only behind a forced command, %s)" % "; ".join(behind) if behind else ""
            parts.append("%s (%s) -> NO LOGIN USER%s" % (key_name(key), origin, where))
    user_list = ", ".join(("%s(default)" % u) if u == default else u for u in users) or "none"
    summary = "; ".join(parts) if parts else "no SSH keys"
    status = "NO LOGIN" if failed else "ok"
    line = "%s: %s [%s, %s image, users: %s]: %s" % (ident, status, kind, word, user_list, summary)
    return line, failed


def check_app(docs, prefix, counts):
    """Checks the VMs of one app (its Secrets are looked up among its own documents)."""
    secrets = {}
    for _f, d in docs:
        if d.get("kind") == "Secret" and d.get("apiVersion") == "v1":
            md = d.get("metadata") or {}
            secrets[(md.get("namespace", ""), md.get("name"))] = secret_values(d)
    seen = set()
    for _f, d in docs:
        kind = d.get("kind")
        md = d.get("metadata") or {}
        if kind == "VirtualMachine" and str(d.get("apiVersion", "")).startswith("kubevirt.io/"):
            template = (d.get("spec") or {}).get("template") or {}
        elif kind == "VirtualMachinePool":
            template = (((d.get("spec") or {}).get("virtualMachineTemplate") or {}).get("spec") or {}).get("template") or {}
        else:
            continue
        ident = "%s%s %s/%s" % (prefix, kind, md.get("namespace", ""), md.get("name"))
        if ident in seen:
            continue
        seen.add(ident)
        counts["vms"] += 1
        line, failed = check_vm(ident, d, template, secrets)
        if "->" in line:
            counts["keys"] += 1
        if failed:
            counts["bad"] += 1
        print(line)


def main(argv):
    args = argv[1:]
    each_file = "--each-file" in args
    args = [a for a in args if a != "--each-file"]
    if not args:
        print("usage: users-keys.py [--each-file] <manifest file or directory>...", file=sys.stderr)
        return 2
    missing = [p for p in args if not os.path.exists(p)]
    if missing:
        print("no such file or directory: %s" % ", ".join(missing), file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.ERROR)
    docs = load_docs(args)
    print("cloud-init %s" % ci_version.version_string())
    counts = {"vms": 0, "keys": 0, "bad": 0}
    if each_file:
        # every file is the output of an app of its own
        by_file = {}
        for f, d in docs:
            by_file.setdefault(f, []).append((f, d))
        for f in sorted(by_file):
            check_app(by_file[f], "%s: " % os.path.basename(f), counts)
    else:
        check_app(docs, "", counts)
    print("%d VMs and pools checked, %d with SSH keys, %d with a key that reaches no login user" % (counts["vms"], counts["keys"], counts["bad"]))
    return 1 if counts["bad"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

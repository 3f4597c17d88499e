# Study 002 on ImageNet (ddnp_imagenet): the document's Table 2, shipped with the library.
from prunebench.studies.ddnp.reported import TABLE2

DDNP_IMAGENET = f"{RESULTS}/ddnp_imagenet"
DDNP_IMAGENET_REPORTED = str(TABLE2)
